import { canonicalJson, type Clock, type EventStore, type RecordedEvent } from '@asiointitili/core';
import { publicEvidenceJwk, signEvidence, type EvidenceKeys } from './evidence-signer';
import { EXPORT_FORMAT, EventLinesDigest, SEAL_TYPE, eventLineOf, type SealLine, type SealPayload } from './export-format';

/** Reads of the stream go in pages of this many events, so a long stream is never held in memory at once. */
export const EXPORT_PAGE_SIZE = 1000;

export class NoSuchStreamError extends Error {
  constructor(readonly stream: string) {
    super(`no stream ${stream} (or it has no events)`);
    this.name = 'NoSuchStreamError';
  }
}

export interface SealedExportSource {
  readonly events: EventStore;
  readonly keys: EvidenceKeys;
  readonly clock: Clock;
}

/**
 * The lines (without newlines) of the sealed export of one stream: every event, oldest first,
 * then the seal signed with the evidence key. Nothing is written anywhere; the caller decides
 * where the lines go (stdout for the CLI). Throws NoSuchStreamError before yielding anything for
 * an empty stream.
 *
 * The export seals what the store holds, broken or not: verifying it (verifySealedExport) reports
 * any break in the chain, which is what an auditor exporting a suspect stream needs to see.
 */
export async function* sealedExportLines(source: SealedExportSource, stream: string): AsyncGenerator<string, void, undefined> {
  const digest = new EventLinesDigest();
  let last: RecordedEvent | undefined;
  let fromRevision = 0n;
  for (;;) {
    const page = await source.events.readStream(stream, { fromRevision, maxCount: EXPORT_PAGE_SIZE });
    for (const event of page) {
      const line = eventLineOf(event);
      digest.add(line);
      last = event;
      yield line;
    }
    if (page.length < EXPORT_PAGE_SIZE || !last) break;
    fromRevision = last.revision + 1n;
  }
  if (!last) throw new NoSuchStreamError(stream);
  const payload: SealPayload = {
    format: EXPORT_FORMAT,
    stream,
    events: digest.lines,
    lastHash: last.metadata.hash,
    eventsSha256: digest.value(),
    exportedAt: source.clock.now().toISOString(),
  };
  const { jws, kid } = await signEvidence(source.keys, SEAL_TYPE, payload);
  const seal: SealLine = { seal: jws, kid, jwk: await publicEvidenceJwk(source.keys, kid) };
  yield canonicalJson(seal);
}
