import { baseConfig, pureDomainRestrictions } from "@eyeball/eslint-config/base";

// A domain package: no database, no transports (see STYLE.md, convention 2).
export default baseConfig({ tsconfigRootDir: import.meta.dirname, extraRules: pureDomainRestrictions });
