// Bearer API key authentication for REST: the actor goes on `res.locals.actor`, failures answer 401.
import { type RequestHandler, type Response } from "express";

import { DomainError } from "@eyeball/core";

import { type ApiKeyActor, type ApiKeysService } from "../services/api-keys";

/** What the auth middleware leaves on `res.locals`. */
export interface RestLocals {
  actor: ApiKeyActor;
}

export function requireApiKey(apiKeys: ApiKeysService): RequestHandler {
  return async (req, res, next) => {
    try {
      const actor = await apiKeys.authenticate(req.get("authorization"));
      (res.locals as Partial<RestLocals>).actor = actor;
      next();
    } catch (error) {
      next(error);
    }
  };
}

/** The authenticated caller; a route without `requireApiKey` in front of it is a programming error. */
export function actorOf(res: Response): ApiKeyActor {
  const actor = (res.locals as Partial<RestLocals>).actor;
  if (!actor) throw new DomainError("INTERNAL", "Route is missing the requireApiKey middleware");
  return actor;
}
