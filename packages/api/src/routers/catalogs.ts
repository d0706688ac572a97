// catalogs.list: categories, participant filters, interests and equipment, cursor-paged (public reference data).
import { z } from "zod";

import { pageRequestSchema } from "../pagination";
import { CATALOG_KINDS } from "../services/catalogs";
import { publicProcedure, router } from "../trpc";

export const catalogsRouter = router({
  list: publicProcedure
    .input(
      pageRequestSchema.extend({
        kind: z.enum(CATALOG_KINDS, { error: `must be one of ${CATALOG_KINDS.join(", ")}` }),
      }),
    )
    .query(({ ctx, input }) => ctx.services.catalogs.list(input.kind, input)),
});
