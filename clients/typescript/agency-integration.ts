/**
 * An agency's integration, written against types generated from the served OpenAPI document:
 *
 *   npx openapi-typescript http://localhost:3000/docs/openapi.json --default-non-nullable=false -o generated/openapi.ts
 *
 * (`--default-non-nullable=false`: request members with a default stay optional to send)
 *
 * and called with openapi-fetch. Every path, parameter, body and answer below is checked by the
 * compiler against the contract; `error` is the Problem (application/problem+json) of a 4xx/5xx.
 * The test suite regenerates the types from a live server, compiles this file and runs it
 * (test/e2e/typed-client.e2e-spec.ts).
 */
import createClient, { type Client } from 'openapi-fetch';
import type { components, paths } from './generated/openapi';

export type Api = Client<paths>;
export type Problem = components['schemas']['Problem'];
export type FeedItem = components['schemas']['FeedItem'];

/** A client for one agency: the bearer token from POST /v1/auth/token (or a development token). */
export function agencyClient(baseUrl: string, token: string): Api {
  return createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${token}` } });
}

/** Thrown for an answer that is a Problem: its `type` tells the cause, `errors` the fields. */
export class ProblemError extends Error {
  constructor(readonly status: number, readonly problem: Problem) {
    super(`${status} ${problem.type}: ${problem.detail}`);
  }
}

function must<T>(answer: { data?: T; error?: unknown; response: Response }): T {
  if (answer.data === undefined) throw new ProblemError(answer.response.status, answer.error as Problem);
  return answer.data;
}

/** Uploads a file (the raw bytes, its type as Content-Type) and answers its id for `attachments`. */
export async function uploadAttachment(api: Api, name: string, contentType: string, bytes: Uint8Array): Promise<components['schemas']['UploadedAttachment']> {
  return must(
    await api.POST('/v1/attachments', {
      params: { query: { name } },
      // The body is the file itself, not JSON.
      body: bytes as unknown as string,
      bodySerializer: (body) => body as unknown as BodyInit,
      headers: { 'Content-Type': contentType },
    }),
  );
}

/**
 * The README's registered delivery from the agency's side: a decision that opens only once the
 * recipient acknowledges it. A repeat with the same externalId answers 409 with the original id,
 * so a retry after a lost answer never sends twice.
 */
export async function sendRegisteredDecision(
  api: Api,
  hetu: string,
  externalId: string,
  attachments: readonly string[] = [],
): Promise<components['schemas']['SendResult'] | { readonly id: string; readonly repeated: true }> {
  const answer = await api.POST('/v1/agency/messages', {
    body: {
      recipient: { hetu },
      kind: 'decision',
      delivery: 'registered',
      subject: 'Päätös asumistuesta',
      body: 'Teille on myönnetty asumistukea 1.3.2026 alkaen.',
      attachments: [...attachments],
      replyAllowed: true,
      externalId,
    },
  });
  if (answer.response.status === 409 && typeof answer.error?.id === 'string') return { id: answer.error.id, repeated: true };
  return must(answer);
}

/** The agency's view of one message: state, deemed service, acknowledgement, trail. */
export async function messageState(api: Api, id: string): Promise<components['schemas']['AgencyMessage']> {
  return must(await api.GET('/v1/agency/messages/{id}', { params: { path: { id } } }));
}

/** The signed proof of service (a compact JWS; verify it with GET /v1/keys). */
export async function proofOfService(api: Api, id: string): Promise<string> {
  return must(await api.GET('/v1/agency/messages/{id}/proof', { params: { path: { id } } })).proof;
}

/**
 * A feed follower: reads every page after `cursor` (undefined: from the start), hands each item to
 * `handle` in log order, and answers the cursor to resume from next time. Store it only after the
 * items are handled, and the follower is at-least-once and survives restarts.
 */
export async function followFeed(api: Api, cursor: string | undefined, handle: (item: FeedItem) => Promise<void> | void): Promise<string | undefined> {
  let next = cursor;
  for (;;) {
    const page = must(await api.GET('/v1/agency/events', { params: { query: { limit: 100, ...(next === undefined ? {} : { cursor: next }) } } }));
    for (const item of page.items) {
      await handle(item);
      next = item.cursor;
    }
    if (page.next === null || page.items.length === 0) return next;
  }
}

/**
 * What each feed item type tells the agency. A Record over the document's FeedItemType enum: a
 * type the contract gains fails this file's compilation until the integration says what it means.
 */
const FEED_ITEM_MEANING: Record<FeedItem['type'], string> = {
  sent: 'recorded',
  'routed-to-paper': 'sent on paper at sending',
  read: 'opened by the recipient',
  acknowledged: 'acknowledged: served',
  'deemed-served': 'deemed served',
  reminded: 'the recipient was reminded',
  'paper-fallback': 'went to paper',
  'handed-to-print': 'handed to the print service',
  reply: 'the recipient replied',
  application: 'an application arrived',
  published: 'published to the recipient',
  cancelled: 'cancelled before publication',
  'reply-overdue': 'no reply by the requested date',
  'notification-failed': 'a notice could not be delivered',
  'acted-on-behalf': 'done on the recipient\'s behalf',
};

/** One line per feed item, e.g. for a case-management log; an act on behalf names the act and the mandate (never a person). */
export function describeFeedItem(item: FeedItem): string {
  const about = item.messageId ?? item.applicationId ?? '';
  const line = `${item.type} ${about}: ${FEED_ITEM_MEANING[item.type]}`;
  if (item.type !== 'acted-on-behalf' || item.actingFor === undefined) return line;
  return `${line} (${item.act ?? 'an act'} under mandate ${item.actingFor.mandateId}, ${item.actingFor.relation})`;
}

