// Instahuman REST dialect, projects: CRUD, archive/unarchive and each project's tester pool.
import { type Router } from "express";

import { type ProjectsService } from "../../services/projects";
import { actorOf } from "../auth";
import { reply, route } from "../route";
import { type RestRouteModule, type RestToolkit } from "../toolkit";

export interface InstahumanProjectsRoutesDeps {
  projects: ProjectsService;
}

/** Register `createInstahumanProjectsRoutes({ projects })` in createRestRouter's `routes`. */
export function createInstahumanProjectsRoutes({ projects }: InstahumanProjectsRoutesDeps): RestRouteModule {
  return (router: Router, toolkit: RestToolkit) => {
    const id = (value: unknown) => String(value);

    router.post(
      "/projects",
      ...toolkit.authenticated,
      toolkit.idempotent("instahuman.projects.create"),
      route(async (req, res) => reply(201, await projects.create(actorOf(res), req.body ?? {}))),
    );
    router.get(
      "/projects",
      ...toolkit.authenticated,
      route(async (req, res) => projects.list(actorOf(res), req.query)),
    );
    router.get(
      "/projects/:id",
      ...toolkit.authenticated,
      route(async (req, res) => projects.get(actorOf(res), id(req.params.id))),
    );
    router.patch(
      "/projects/:id",
      ...toolkit.authenticated,
      route(async (req, res) => projects.update(actorOf(res), id(req.params.id), req.body ?? {})),
    );
    router.delete(
      "/projects/:id",
      ...toolkit.authenticated,
      route(async (req, res) => {
        await projects.delete(actorOf(res), id(req.params.id));
        return undefined;
      }),
    );
    router.post(
      "/projects/:id/archive",
      ...toolkit.authenticated,
      route(async (req, res) => projects.archive(actorOf(res), id(req.params.id))),
    );
    router.post(
      "/projects/:id/unarchive",
      ...toolkit.authenticated,
      route(async (req, res) => projects.unarchive(actorOf(res), id(req.params.id))),
    );

    router.get(
      "/projects/:id/testers",
      ...toolkit.authenticated,
      route(async (req, res) => ({ data: await projects.listTesters(actorOf(res), id(req.params.id)) })),
    );
    router.post(
      "/projects/:id/testers",
      ...toolkit.authenticated,
      route(async (req, res) =>
        reply(201, await projects.addTester(actorOf(res), id(req.params.id), req.body ?? {})),
      ),
    );
    router.patch(
      "/projects/:id/testers/:testerId",
      ...toolkit.authenticated,
      route(async (req, res) =>
        projects.updateTester(actorOf(res), id(req.params.id), id(req.params.testerId), req.body ?? {}),
      ),
    );
    router.delete(
      "/projects/:id/testers/:testerId",
      ...toolkit.authenticated,
      route(async (req, res) => {
        await projects.removeTester(actorOf(res), id(req.params.id), id(req.params.testerId));
        return undefined;
      }),
    );
  };
}
