// Shared flat ESLint config: strict, type-aware TypeScript rules for every package.
import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

/** Packages that hold pure domain logic must not reach for I/O or transports. */
export const pureDomainRestrictions = {
  "no-restricted-imports": [
    "error",
    {
      paths: [
        { name: "@prisma/client", message: "Domain packages are pure: no database access." },
        { name: "@eyeball/db", message: "Domain packages are pure: no database access." },
        { name: "express", message: "Domain packages are pure: no transports." },
      ],
      patterns: [
        { group: ["@trpc/*"], message: "Domain packages are pure: no transports." },
        { group: ["@prisma/*"], message: "Domain packages are pure: no database access." },
        { group: ["@eyeball/*/src/*"], message: "Import a package through its public index." },
      ],
    },
  ],
};

/** @param {{ tsconfigRootDir: string, extraRules?: Record<string, unknown>, ignores?: string[] }} options */
export function baseConfig({ tsconfigRootDir, extraRules = {}, ignores = [] }) {
  return tseslint.config(
    { ignores: ["dist/**", "coverage/**", "**/generated/**", ...ignores] },
    js.configs.recommended,
    ...tseslint.configs.strictTypeChecked,
    {
      languageOptions: {
        globals: { ...globals.node },
        parserOptions: { projectService: true, tsconfigRootDir },
      },
      rules: {
        "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
        "@typescript-eslint/no-non-null-assertion": "error",
        "@typescript-eslint/restrict-template-expressions": ["error", { allowNumber: true }],
        "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
        "@typescript-eslint/no-unnecessary-condition": "off",
        "no-restricted-imports": [
          "error",
          {
            patterns: [
              { group: ["@eyeball/*/src/*"], message: "Import a package through its public index." },
            ],
          },
        ],
        ...extraRules,
      },
    },
    {
      files: ["**/*.test.ts", "**/*.integration-test.ts", "**/*.bench.ts", "**/test/**"],
      rules: {
        "@typescript-eslint/no-non-null-assertion": "off",
        "@typescript-eslint/no-floating-promises": "off",
      },
    },
    {
      files: ["**/*.js", "**/*.mjs"],
      ...tseslint.configs.disableTypeChecked,
    },
  );
}
