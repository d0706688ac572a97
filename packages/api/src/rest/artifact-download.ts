// GET /artifacts/:id?expires=…&signature=… — a finished artifact behind a signed link (Range requests for video seeking).
import { Router } from "express";

import { type ArtifactsService } from "../services/artifacts";
import { sendError } from "./errors";

export function createArtifactDownloadRouter(artifacts: ArtifactsService): Router {
  const router = Router();
  router.get("/:artifactId", async (req, res, next) => {
    try {
      const found = await artifacts.resolveLink(
        req.params.artifactId,
        req.query.expires,
        req.query.signature,
      );
      if (!found) {
        sendError(
          res,
          403,
          "forbidden",
          "This artifact link is invalid or has expired; read the job again for a fresh one",
        );
        return;
      }
      const { artifact, storageKey } = found;
      res.setHeader("Cache-Control", "private, max-age=3600");
      res.setHeader("X-Content-Type-Options", "nosniff");
      // Only our own media types are shown inline; anything else an app uploaded is a download.
      const inline = /^(image\/(png|jpeg)|video\/(webm|mp4)|application\/x-ndjson)$/.test(
        artifact.contentType,
      );
      res.setHeader("Content-Disposition", inline ? "inline" : `attachment; filename="${artifact.id}"`);
      const file = artifacts.store.localPath?.(storageKey);
      if (file !== undefined) {
        res.sendFile(
          file,
          { headers: { "Content-Type": artifact.contentType }, etag: true, lastModified: false },
          (error) => {
            if (error && !res.headersSent) next(error);
          },
        );
        return;
      }
      res.setHeader("Content-Type", artifact.contentType);
      res.setHeader("Content-Length", String(artifact.uploadedBytes));
      artifacts.store.read(storageKey).on("error", next).pipe(res);
    } catch (error) {
      next(error);
    }
  });
  return router;
}
