// Public surface of the API keys service.
export * from "./api-keys-service";
export { bearerToken } from "./bearer";
export { hashApiKey } from "./hash";
