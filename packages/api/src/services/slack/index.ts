export * from "./new-job-notice";
export * from "./webhook-url";
