// The OpenAPI 3.1 document of /api, its HTML reference page and the route module serving both.
export {
  API_VERSION,
  buildOpenApiDocument,
  OPENAPI_VERSION,
  toOpenApiPath,
  type JsonSchema,
  type OpenApiDocument,
  type OpenApiOperation,
  type OpenApiOptions,
} from "./document";
export { renderDocsPage } from "./docs-page";
export { OPERATIONS, type OperationSpec } from "./operations";
export { apiServerUrl, createOpenApiRoutes } from "./openapi-routes";
