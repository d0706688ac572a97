// createServices(deps): composes the job, tester and sandbox services over shared dependencies.
import {
  type ArtifactsService,
  type ArtifactStore,
  createArtifactLinks,
  createArtifactsService,
} from "./artifacts";
import { type AdminDisputesService, createAdminDisputesService } from "./admin/admin-disputes";
import {
  createGithubIssuesService,
  createRepoContextService,
  type GithubClientOptions,
  type GithubIssuesService,
  type RepoContextService,
} from "./github";
import { createJobsService, type JobsService } from "./jobs";
import {
  createSandboxService,
  type SandboxBrowser,
  sandboxAwareExtractorFor,
  type SandboxService,
} from "./sandbox";
import { createSlackService, type SlackService } from "./slack";
import { createTesterService, type TesterService } from "./tester";
import { type ServiceDeps } from "./types";

export interface CreateServicesDeps extends ServiceDeps {
  /** Secret key material (≥ 32 bytes) for site credentials encrypted at rest; never logged. */
  credentialsKey: Buffer;
  /** Where recording artifacts are kept (createLocalArtifactStore(<dataDir>/artifacts) by default in the server). */
  artifactStore: ArtifactStore;
  /** The simulated tester's browser for test-mode jobs; without one sandbox jobs carry no recording. */
  sandboxBrowser?: SandboxBrowser | null;
  /** The GitHub client's transport (tests); ApiConfig.github says where and with which token. */
  github?: GithubClientOptions;
}

/** The job-side services. Add new ones here; hosts spread this next to their own (apiKeys, orgs…). */
export interface Services {
  jobs: JobsService;
  tester: TesterService;
  sandbox: SandboxService;
  artifacts: ArtifactsService;
  /** The platform admin's dispute evidence and resolutions (admin.dispute, admin.resolveDispute). */
  adminDisputes: AdminDisputesService;
  /** README.md / CLAUDE.md of a job's repository (worker `github.repo_context`). */
  repoContext: RepoContextService;
  /** Issues for the bugs testers found (worker `github.issues`). */
  githubIssues: GithubIssuesService;
  /** New-job notices to Slack incoming webhooks (worker `slack.new_job`). */
  slack: SlackService;
}

export function createServices(deps: CreateServicesDeps): Services {
  const { credentialsKey, artifactStore, sandboxBrowser = null, github = {}, ...rest } = deps;
  const artifactLinks = createArtifactLinks({
    // The links' signing key is derived from the secret key inside, never the key itself.
    secretKey: credentialsKey,
    publicUrl: () => rest.config.publicUrl,
    clock: rest.clock,
    ttlMs: rest.config.artifactLinkTtlMs,
  });
  const shared: ServiceDeps = { ...rest, artifactLinks };
  const artifacts = createArtifactsService(shared, { store: artifactStore, links: artifactLinks });
  const jobs = createJobsService(shared, { credentialsKey });
  const tester = createTesterService(shared, {
    credentialsKey,
    extractorFor: sandboxAwareExtractorFor(shared.extractor),
  });
  const sandbox = createSandboxService(shared, tester, { artifacts, browser: sandboxBrowser });
  const adminDisputes = createAdminDisputesService(shared, { artifacts });
  const repoContext = createRepoContextService(shared, github);
  const githubIssues = createGithubIssuesService(shared, { artifacts }, github);
  const slack = createSlackService(shared);
  return { jobs, tester, sandbox, artifacts, adminDisputes, repoContext, githubIssues, slack };
}
