import { baseConfig } from "@eyeball/eslint-config/base";

export default baseConfig({ tsconfigRootDir: import.meta.dirname });
