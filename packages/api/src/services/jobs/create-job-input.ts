// Turns each dialect's create request into one validated, defaulted run(human)-style request.
import {
  type CreateJobRequest,
  extractUrlFromPrompt,
  parseCreateJobRequest,
  parseCreateRunRequest,
} from "@eyeball/core";

import { type JobSource } from "./job-view";

/**
 * TesterArmy runs carry only a prompt (with the URL inside it), credentials and a webhook: the
 * prompt becomes the description and every other field takes run(human)'s default. Every other
 * source speaks run(human) plus Eyeball's extras. Invalid input is DomainError VALIDATION naming the field.
 */
export function parseCreateInput(input: unknown, source: JobSource): CreateJobRequest {
  if (source === "testerarmy") {
    const run = parseCreateRunRequest(input);
    return parseCreateJobRequest({
      url: extractUrlFromPrompt(run.prompt),
      description: run.prompt,
      ...(run.credentials === undefined ? {} : { credentials: run.credentials }),
      ...(run.webhookUrl === undefined ? {} : { webhookUrl: run.webhookUrl }),
    });
  }
  return parseCreateJobRequest(input);
}
