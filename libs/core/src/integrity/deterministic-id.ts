import { createHash } from 'node:crypto';

/**
 * A name-based UUID derived from the given parts (SHA-256, truncated, laid out as version 5 because
 * the EventStoreDB client's uuid library accepts versions 1 to 5 only). The same command retried derives the
 * same event ids, so EventStoreDB treats the retried append as a duplicate, and a retried
 * notification or print job is recognised.
 */
export function deterministicUuid(...parts: readonly string[]): string {
  const bytes = createHash('sha256').update(parts.join('\u0000')).digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50; // version 5 layout
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // RFC 4122 variant
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
