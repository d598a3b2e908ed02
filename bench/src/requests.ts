import type { BenchData } from './fixture';
import type { RequestSpec } from './load';
import { population, recipientIndex } from './population';
import { messageInput } from './workload';

/** The size of the bulk recipient check measured (API.md's limit). */
export const RECIPIENT_CHECK_SIZE = 10_000;

/**
 * The k-th single send: a distinct externalId and the k-th recipient of the spread, so that
 * every request creates one message and no two requests race for one stream.
 */
export class SendSequence {
  private k = 0;
  created = 0;

  constructor(
    private readonly data: BenchData,
    private readonly runId: string,
  ) {}

  readonly next = (): RequestSpec => {
    const k = this.k++;
    const hetu = this.data.hetus[recipientIndex(k, this.data.hetus.length)]!;
    return {
      method: 'POST',
      path: '/v1/agency/messages',
      headers: { authorization: `Bearer ${this.data.agencyToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(messageInput(hetu, `${this.runId}-${k}`)),
    };
  };

  /** Counts what was created (for the "messages stored" figure). */
  readonly onAnswer = (status: number): void => {
    if (status === 201) this.created++;
  };
}

/** Requests of POST /v1/agency/messages/bulk, `size` messages each, continuing the single sends' recipient spread. */
export class BulkSequence {
  private k = 0;
  created = 0;

  constructor(
    private readonly data: BenchData,
    private readonly runId: string,
    private readonly size: number,
  ) {}

  readonly next = (): RequestSpec => {
    const messages = Array.from({ length: this.size }, () => {
      const k = this.k++;
      return messageInput(this.data.hetus[recipientIndex(k, this.data.hetus.length)]!, `${this.runId}-bulk-${k}`);
    });
    return {
      method: 'POST',
      path: '/v1/agency/messages/bulk',
      headers: { authorization: `Bearer ${this.data.agencyToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ messages }),
    };
  };

  readonly onAnswer = (status: number, body: string): void => {
    if (status !== 200) return;
    this.created += (JSON.parse(body) as { results: Array<{ status: number }> }).results.filter((result) => result.status === 201).length;
  };
}

/** Inbox reads round-robin over the citizens whose tokens were minted. */
export function inboxRequests(data: BenchData): () => RequestSpec {
  let k = 0;
  return () => {
    const reader = data.readers[k++ % data.readers.length]!;
    return { method: 'GET', path: '/v1/citizen/messages', headers: { authorization: `Bearer ${reader.token}` } };
  };
}

/** 10,000 valid codes: the seeded citizens first, then valid codes of people with no account. */
export function recipientCheckBody(): string {
  return JSON.stringify({ hetus: population(RECIPIENT_CHECK_SIZE) });
}
