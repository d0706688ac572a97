import { vitestPreset } from "@eyeball/vitest-config";

export default vitestPreset();
