// Input pieces every router shares.
import { z } from "zod";

/** A non-blank id; the message names the field through tRPC's zod error formatting. */
export const requiredId = z.string({ error: "is required" }).trim().min(1, { error: "is required" });
