// The extractor the sandbox uses: the real one, except that `[sandbox:error]` makes extraction fail.
import { type Extractor } from "@eyeball/extraction";
import { type Job } from "@eyeball/db";

import { type ExtractorFor } from "../tester/extract-assignment";
import { sandboxScenario } from "./magic-words";

const failing: Extractor = {
  name: "sandbox:error",
  extract: () => Promise.reject(new Error("sandbox: extraction failure forced by [sandbox:error]")),
};

/** Live jobs always get `base`; so do test-mode jobs without the error marker. */
export function sandboxAwareExtractorFor(base: Extractor): ExtractorFor {
  return (job: Pick<Job, "mode" | "description">) =>
    job.mode === "test" && sandboxScenario(job.description) === "error" ? failing : base;
}
