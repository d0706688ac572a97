// REST errors: the one body shape `{"error", "message"}`, the error middleware and the JSON 404.
import { type ErrorRequestHandler, type RequestHandler, type Response } from "express";

import { isDomainError } from "@eyeball/core";

export interface RestErrorBody {
  error: string;
  message: string;
}

export interface RestLogger {
  error(message: string, error?: unknown): void;
}

export const consoleLogger: RestLogger = {
  error: (message, error) => {
    console.error(message, error);
  },
};

export function sendError(res: Response, status: number, error: string, message: string): void {
  res.status(status).json({ error, message } satisfies RestErrorBody);
}

/** body-parser's errors carry `type` and `status`; they are the client's fault and get clear messages. */
interface BodyParserError {
  type: string;
  status?: number;
  limit?: number;
}

function isBodyParserError(error: unknown): error is BodyParserError {
  return (
    typeof error === "object" &&
    error !== null &&
    typeof (error as { type?: unknown }).type === "string" &&
    typeof (error as { status?: unknown }).status === "number"
  );
}

function bodyParserResponse(error: BodyParserError): { status: number; body: RestErrorBody } | null {
  switch (error.type) {
    case "entity.parse.failed":
      return { status: 400, body: { error: "invalid_json", message: "The request body is not valid JSON" } };
    case "entity.too.large":
      return {
        status: 413,
        body: {
          error: "payload_too_large",
          message:
            error.limit === undefined
              ? "The request body is too large"
              : `The request body is larger than the limit of ${error.limit} bytes`,
        },
      };
    case "encoding.unsupported":
    case "charset.unsupported":
      return {
        status: 415,
        body: { error: "unsupported_media_type", message: "Send the body as UTF-8 JSON" },
      };
    case "request.aborted":
      return { status: 400, body: { error: "bad_request", message: "The request was aborted" } };
    default:
      return null;
  }
}

/** The single REST error middleware: DomainError → its status and body; anything else → 500, logged. */
export function restErrorHandler(logger: RestLogger = consoleLogger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    if (isDomainError(error)) {
      if (error.code === "INTERNAL") logger.error(`${req.method} ${req.originalUrl} failed`, error);
      res.status(error.httpStatus).json(error.toRestBody());
      return;
    }
    if (isBodyParserError(error)) {
      const mapped = bodyParserResponse(error);
      if (mapped) {
        res.status(mapped.status).json(mapped.body);
        return;
      }
    }
    logger.error(`${req.method} ${req.originalUrl} failed`, error);
    sendError(res, 500, "internal_error", "Something went wrong on our side");
  };
}

export const notFoundHandler: RequestHandler = (req, res) => {
  sendError(res, 404, "not_found", `No such endpoint: ${req.method} ${req.originalUrl.split("?")[0] ?? ""}`);
};
