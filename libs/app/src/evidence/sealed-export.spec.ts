import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compactVerify, createLocalJWKSet, decodeProtectedHeader } from 'jose';
import { ManualClock, type EventStore } from '@asiointitili/core';
import { SqliteEventStore } from '@asiointitili/event-store';
import { chainedEvents } from '@asiointitili/event-store/testing/chained-events';
import { KeyRing } from '../keys';
import { EXPORT_FORMAT, SEAL_TYPE, type SealPayload } from './export-format';
import { EXPORT_PAGE_SIZE, NoSuchStreamError, sealedExportLines } from './sealed-export';
import { recordMessage, registeredAcknowledged } from './testing/message-history';

async function collect(lines: AsyncIterable<string>): Promise<string[]> {
  const all: string[] = [];
  for await (const line of lines) all.push(line);
  return all;
}

describe('sealedExportLines', () => {
  let dir: string;
  let events: EventStore;
  let keys: KeyRing;
  const clock = new ManualClock('2026-03-01T12:00:00.000Z');
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'asiointitili-export-'));
    events = SqliteEventStore.open(dir);
    keys = await KeyRing.open(dir, { clock });
  });
  afterEach(async () => {
    await events.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('writes one canonical line per event with stream, revision, position, id, type, data and metadata', async () => {
    const history = await recordMessage(events, 'm-1', registeredAcknowledged('m-1'));
    const lines = await collect(sealedExportLines({ events, keys, clock }, 'message-m-1'));
    expect(lines).toHaveLength(history.length + 1);
    history.forEach((event, i) => {
      const line = JSON.parse(lines[i]!);
      expect(line).toEqual({
        stream: 'message-m-1',
        revision: event.revision.toString(),
        position: event.position.toString(),
        id: event.id,
        type: event.type,
        data: event.data,
        metadata: event.metadata,
      });
      expect(Object.keys(line)).toEqual(['data', 'id', 'metadata', 'position', 'revision', 'stream', 'type']);
      expect(line.metadata).toMatchObject({ prevHash: expect.stringMatching(/^[0-9a-f]{64}$/), hash: event.metadata.hash });
    });
  });

  it('ends with a seal over the stream, the count, the last hash and the digest of the lines, signed by the evidence key', async () => {
    const history = await recordMessage(events, 'm-1', registeredAcknowledged('m-1'));
    const lines = await collect(sealedExportLines({ events, keys, clock }, 'message-m-1'));
    const sealLine = JSON.parse(lines[lines.length - 1]!);
    const active = await keys.signingKey('evidence');
    expect(sealLine.kid).toBe(active.kid);
    expect(sealLine.jwk).toEqual({ kty: 'OKP', crv: 'Ed25519', x: expect.any(String), kid: active.kid, alg: 'EdDSA', use: 'sig' });
    expect(decodeProtectedHeader(sealLine.seal)).toEqual({ alg: 'EdDSA', kid: active.kid, typ: SEAL_TYPE });
    const { payload } = await compactVerify(sealLine.seal, createLocalJWKSet(await keys.publicJwks(['evidence'])));
    const seal = JSON.parse(new TextDecoder().decode(payload)) as SealPayload;
    const digest = createHash('sha256');
    lines.slice(0, -1).forEach((line) => digest.update(`${line}\n`));
    expect(seal).toEqual({
      format: EXPORT_FORMAT,
      stream: 'message-m-1',
      events: history.length,
      lastHash: history[history.length - 1]!.metadata.hash,
      eventsSha256: digest.digest('hex'),
      exportedAt: '2026-03-01T12:00:00.000Z',
    });
  });

  it(`reads a stream longer than one page (${EXPORT_PAGE_SIZE} events) completely and in order`, async () => {
    const total = EXPORT_PAGE_SIZE * 2 + 345;
    await events.append('agency-bulk', chainedEvents('agency-bulk', total), 'no-stream');
    const lines = await collect(sealedExportLines({ events, keys, clock }, 'agency-bulk'));
    expect(lines).toHaveLength(total + 1);
    expect(lines.slice(0, -1).map((line) => JSON.parse(line).revision)).toEqual(Array.from({ length: total }, (_, i) => String(i)));
  });

  it('refuses a stream without events before writing anything', async () => {
    const written: string[] = [];
    const run = async () => {
      for await (const line of sealedExportLines({ events, keys, clock }, 'message-nothing')) written.push(line);
    };
    await expect(run()).rejects.toBeInstanceOf(NoSuchStreamError);
    expect(written).toEqual([]);
  });
});
