// Signed, expiring artifact URLs: `<publicUrl>/artifacts/<id>?expires=<unix s>&signature=<hex>`, no session needed.
import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";

import { type Clock } from "../../clock";
import { type Db, type Tx } from "../types";

export const ARTIFACT_PATH = "/artifacts";
const HOUR_MS = 60 * 60 * 1000;

export interface ArtifactLinks {
  /** A URL for the artifact valid for at least the configured time. */
  url(artifactId: string): string;
  /** Whether `expires` and `signature` (from the query string) are a live signature of the artifact. */
  verify(artifactId: string, expires: unknown, signature: unknown): boolean;
}

export interface ArtifactLinksOptions {
  /** The server's secret key; the signing key is derived from it, so it never signs anything else. */
  secretKey: Buffer;
  /** Read on every link: a server started on port 0 learns its address only after listening. */
  publicUrl: () => string;
  clock: Clock;
  ttlMs: number;
}

export function createArtifactLinks({
  secretKey,
  publicUrl,
  clock,
  ttlMs,
}: ArtifactLinksOptions): ArtifactLinks {
  const key = Buffer.from(hkdfSync("sha256", secretKey, Buffer.alloc(0), "eyeball artifact links v1", 32));
  const sign = (artifactId: string, expires: number) =>
    createHmac("sha256", key).update(`${artifactId}.${expires}`).digest("hex");
  return {
    url(artifactId) {
      // Rounded up to the hour: a job read twice in an hour shows the same links (cache-friendly).
      const expiresMs = Math.ceil((clock.now().getTime() + ttlMs) / HOUR_MS) * HOUR_MS;
      const expires = Math.floor(expiresMs / 1000);
      const query = new URLSearchParams({ expires: String(expires), signature: sign(artifactId, expires) });
      const base = publicUrl().replace(/\/+$/, "");
      return `${base}${ARTIFACT_PATH}/${encodeURIComponent(artifactId)}?${query.toString()}`;
    },
    verify(artifactId, expires, signature) {
      if (typeof expires !== "string" || !/^\d{1,12}$/.test(expires)) return false;
      if (typeof signature !== "string" || !/^[0-9a-f]{64}$/.test(signature)) return false;
      if (Number(expires) * 1000 <= clock.now().getTime()) return false;
      const expected = Buffer.from(sign(artifactId, Number(expires)), "hex");
      return timingSafeEqual(expected, Buffer.from(signature, "hex"));
    },
  };
}

/** Signed links to a slot's finished screenshots, oldest first (TesterArmy `output.screenshots`). */
export async function screenshotLinks(
  client: Db | Tx,
  links: ArtifactLinks,
  assignmentId: string,
): Promise<string[]> {
  const shots = await client.artifact.findMany({
    where: { assignmentId, kind: "screenshot", status: "complete" },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: { id: true },
  });
  return shots.map((shot) => links.url(shot.id));
}
