import { vitestPreset } from "./index.js";

const preset = vitestPreset();
export default { ...preset, test: { ...preset.test, include: ["test/*.test.js"] } };
