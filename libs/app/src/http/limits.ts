import { ProblemException, problem } from './problem';

/** Limits of the public contract (API.md). Each has a boundary test. */
export const MAX_SUBJECT = 256;
export const MAX_BODY = 40_000;
export const MAX_ATTACHMENTS = 50;
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
export const MAX_BULK_RECIPIENTS = 10_000;
/** Messages in one POST /v1/agency/messages/bulk (the JSON body limit applies too). */
export const MAX_BULK_MESSAGES = 1000;
export const DEFAULT_PAGE = 50;
export const MAX_PAGE = 1000;
export const ATTACHMENT_ID_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;

export function pageLimit(text: string | undefined): number {
  if (text === undefined) return DEFAULT_PAGE;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > MAX_PAGE) {
    // Checked here because query DTOs carry strings; the pipe checks the digits only.
    throw new ProblemException(
      problem(400, 'bad-request', `limit must be between 1 and ${MAX_PAGE}`, { errors: [{ field: 'limit', problem: `between 1 and ${MAX_PAGE}` }] }),
    );
  }
  return value;
}
