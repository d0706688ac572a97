// Route helpers: an async handler wrapper that sends what the handler returns, and typed input parsing.
import { type Request, type RequestHandler, type Response } from "express";
import { type z } from "zod";

import { parseOrThrow } from "@eyeball/core";

import { jsonSafe } from "./json-safe";

/** A response with a status other than 200 (`return reply(201, job)`). */
export class Reply {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {}
}

export function reply(status: number, body: unknown, headers?: Record<string, string>): Reply {
  return new Reply(status, body, headers);
}

export type RouteHandler = (req: Request, res: Response) => unknown;

/**
 * Wraps an async handler: its return value is sent as JSON (200, or a `reply(...)`), `undefined`
 * sends 204 unless the handler answered itself, and a throw goes to the error middleware.
 */
export function route(handler: RouteHandler): RequestHandler {
  return async (req, res, next) => {
    try {
      const result = await handler(req, res);
      if (res.headersSent) return;
      if (result instanceof Reply) {
        res.set(result.headers).status(result.status).json(jsonSafe(result.body));
      } else if (result === undefined) {
        res.status(204).end();
      } else {
        res.json(jsonSafe(result));
      }
    } catch (error) {
      next(error);
    }
  };
}

/** The JSON body parsed by `schema`, or DomainError VALIDATION (400) naming the field. */
export function parseBody<S extends z.ZodType>(schema: S, req: Request): z.output<S> {
  return parseOrThrow(schema, req.body ?? {});
}

/** The query string parsed by `schema` (use `z.coerce` for numbers), or a 400 naming the parameter. */
export function parseQuery<S extends z.ZodType>(schema: S, req: Request): z.output<S> {
  return parseOrThrow(schema, req.query);
}
