import type { Linter } from "eslint";

export const pureDomainRestrictions: Linter.RulesRecord;
export function baseConfig(options: {
  tsconfigRootDir: string;
  extraRules?: Linter.RulesRecord;
  ignores?: string[];
}): Linter.Config[];
