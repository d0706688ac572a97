import globals from "globals";

import { baseConfig } from "@eyeball/eslint-config/base";

export default [
  ...baseConfig({
    tsconfigRootDir: import.meta.dirname,
    ignores: ["out/**", "release/**", "test-results/**"],
  }),
  { files: ["src/renderer/**", "src/preload/**"], languageOptions: { globals: { ...globals.browser } } },
  {
    // The bundles keep `import { type X } from "m"` as `import "m"`: in the renderer that pulls the
    // server into the page, in main it needs a package the installer does not ship.
    files: ["src/**"],
    rules: { "@typescript-eslint/no-import-type-side-effects": "error" },
  },
];
