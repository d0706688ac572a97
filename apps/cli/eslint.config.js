import { baseConfig } from "@eyeball/eslint-config/base";

// action/eyeball.mjs is the generated bundle (scripts/bundle.ts).
export default baseConfig({ tsconfigRootDir: import.meta.dirname, ignores: ["action/**"] });
