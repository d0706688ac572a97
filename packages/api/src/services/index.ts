// createServices(deps): composes the job, tester and sandbox services over shared dependencies.
import { createJobsService, type JobsService } from "./jobs";
import { createSandboxService, sandboxAwareExtractorFor, type SandboxService } from "./sandbox";
import { createTesterService, type TesterService } from "./tester";
import { type ServiceDeps } from "./types";

export interface CreateServicesDeps extends ServiceDeps {
  /** Secret key material (≥ 32 bytes) for site credentials encrypted at rest; never logged. */
  credentialsKey: Buffer;
}

/** The job-side services. Add new ones here; hosts spread this next to their own (apiKeys, orgs…). */
export interface Services {
  jobs: JobsService;
  tester: TesterService;
  sandbox: SandboxService;
}

export function createServices(deps: CreateServicesDeps): Services {
  const { credentialsKey, ...shared } = deps;
  const jobs = createJobsService(shared, { credentialsKey });
  const tester = createTesterService(shared, {
    credentialsKey,
    extractorFor: sandboxAwareExtractorFor(shared.extractor),
  });
  const sandbox = createSandboxService(shared, tester);
  return { jobs, tester, sandbox };
}
