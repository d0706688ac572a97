// The CLI's configuration: the only module that reads process.env (same database rules as the server).
import path from "node:path";

import { z } from "zod";

import { type DatabaseTarget } from "@eyeball/server";

export type EnvRecord = Readonly<Record<string, string | undefined>>;

const schema = z.object({
  DATABASE_URL: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v === "" ? undefined : v))
    .refine((v) => v === undefined || /^postgres(ql)?:\/\//.test(v), {
      error: "DATABASE_URL must start with postgres:// or postgresql://",
    }),
  EYEBALL_DATA_DIR: z.string().trim().optional(),
  INIT_CWD: z.string().optional(),
});

/** DATABASE_URL, else the embedded database in EYEBALL_DATA_DIR (default `.eyeball`, relative to where pnpm ran). */
export function loadCliEnv(source: EnvRecord = process.env, cwd: string = process.cwd()): DatabaseTarget {
  const parsed = schema.safeParse(source);
  if (!parsed.success) throw new Error(parsed.error.issues.map((issue) => issue.message).join("; "));
  const vars = parsed.data;
  return {
    databaseUrl: vars.DATABASE_URL,
    dataDir: path.resolve(vars.INIT_CWD ?? cwd, vars.EYEBALL_DATA_DIR || ".eyeball"),
  };
}
