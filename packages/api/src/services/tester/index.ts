// Public surface of the tester service.
export * from "./tester-service";
export { claimSlot } from "./claim-slot";
export { type ExtractorFor } from "./extract-assignment";
export * from "./tester-views";
export * from "./tester-earnings";
