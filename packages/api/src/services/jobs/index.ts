// Public surface of the jobs service.
export * from "./jobs-service";
export { type AutoApproveReport } from "./approve-settlement";
export { createCredentialsCipher, type CredentialsCipher } from "./credentials-cipher";
export { type JobResult } from "./job-result";
export { type JobSource, type JobView, type SlotView, type TesterIdentity } from "./job-view";
export { QUEUES, extractSingletonKey, type QueueName } from "./queue-names";
export * from "./job-webhooks";
