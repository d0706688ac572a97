// Turns each dialect's create request into one validated, defaulted run(human)-style request.
import {
  type CreateJobRequest,
  extractUrlFromPrompt,
  parseCreateJobRequest,
  parseCreateRunRequest,
} from "@eyeball/core";

import { type JobSource } from "./job-view";
import { splitTargeting, type TargetingInput } from "./job-targeting";

/** A parsed create request and its (not yet resolved) Instahuman targeting. */
export interface ParsedCreateInput {
  request: CreateJobRequest;
  targeting: TargetingInput;
}

/**
 * TesterArmy runs carry only a prompt (with the URL inside it), credentials and a webhook: the
 * prompt becomes the description and every other field takes run(human)'s default. Every other
 * source speaks run(human) plus Eyeball's extras, Instahuman's `categoryId` and
 * `participantFilterIds` among them. Invalid input is DomainError VALIDATION naming the field.
 */
export function parseCreateInput(input: unknown, source: JobSource): ParsedCreateInput {
  if (source === "testerarmy") {
    const run = parseCreateRunRequest(input);
    return {
      request: parseCreateJobRequest({
        url: extractUrlFromPrompt(run.prompt),
        description: run.prompt,
        ...(run.credentials === undefined ? {} : { credentials: run.credentials }),
        ...(run.webhookUrl === undefined ? {} : { webhookUrl: run.webhookUrl }),
      }),
      targeting: {},
    };
  }
  const { request, targeting } = splitTargeting(input);
  return { request: parseCreateJobRequest(request), targeting };
}
