import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canonicalJson, eventHash, ManualClock, type EventStore } from '@asiointitili/core';
import { SqliteEventStore } from '@asiointitili/event-store';
import { KeyRing } from '../keys';
import { publicEvidenceJwk, signEvidence } from './evidence-signer';
import { SEAL_TYPE } from './export-format';
import { verifySealedExport, type ExportFailure } from './export-verification';
import { sealedExportLines } from './sealed-export';
import { recordMessage, registeredAcknowledged, registeredPending } from './testing/message-history';

type Line = Record<string, unknown> & { metadata: Record<string, unknown>; data: Record<string, unknown> };

const parse = (line: string): Line => JSON.parse(line) as Line;
const swap = <T>(items: readonly T[], a: number, b: number): T[] => items.map((item, i) => (i === a ? items[b]! : i === b ? items[a]! : item));
/** Line numbers in failures are 1-based; array indexes are not. */
const lineNo = (index: number): number => index + 1;

describe('verifySealedExport', () => {
  let dir: string;
  let otherDir: string;
  let events: EventStore;
  let keys: KeyRing;
  let otherKeys: KeyRing;
  let lines: string[];
  const clock = new ManualClock('2026-03-01T12:00:00.000Z');

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'asiointitili-verify-'));
    otherDir = await mkdtemp(join(tmpdir(), 'asiointitili-verify-other-'));
    events = SqliteEventStore.open(dir);
    keys = await KeyRing.open(dir, { clock });
    otherKeys = await KeyRing.open(otherDir, { clock });
    await recordMessage(events, 'm-1', registeredAcknowledged('m-1'));
    await recordMessage(events, 'm-2', registeredPending('m-2'));
    lines = [];
    for await (const line of sealedExportLines({ events, keys, clock }, 'message-m-1')) lines.push(line);
  });
  afterAll(async () => {
    await events.close();
    await rm(dir, { recursive: true, force: true });
    await rm(otherDir, { recursive: true, force: true });
  });

  const seal = (): number => lines.length - 1;
  const failureOf = async (tampered: readonly string[], options = {}): Promise<ExportFailure> => {
    const verdict = await verifySealedExport(tampered, options);
    if (verdict.ok) throw new Error('the tampered export verified');
    return verdict;
  };
  /** The seal line re-signed over the original payload by another key ring. */
  const resealedBy = async (signer: KeyRing, embed: 'original-key' | 'signer-key'): Promise<string> => {
    const original = parse(lines[seal()]!);
    const payload = JSON.parse(Buffer.from(String(original.seal).split('.')[1]!, 'base64url').toString('utf8')) as unknown;
    const { jws, kid } = await signEvidence(signer, SEAL_TYPE, payload);
    if (embed === 'original-key') return canonicalJson({ ...original, seal: jws });
    return canonicalJson({ seal: jws, kid, jwk: await publicEvidenceJwk(signer, kid) });
  };

  it('finds an untouched export intact, checked against the key it carries', async () => {
    const verdict = await verifySealedExport(lines);
    expect(verdict).toEqual({
      ok: true,
      stream: 'message-m-1',
      events: 3,
      lastHash: parse(lines[2]!).metadata.hash,
      exportedAt: '2026-03-01T12:00:00.000Z',
      kid: (await keys.signingKey('evidence')).kid,
      keySource: 'embedded',
    });
  });

  it('finds an untouched export intact against the published JWKS, and says so', async () => {
    await expect(verifySealedExport(lines, { jwks: await keys.publicJwks(['evidence']) })).resolves.toMatchObject({ ok: true, keySource: 'jwks' });
  });

  it('reads the lines from an async source as well', async () => {
    async function* source() {
      yield* lines;
    }
    await expect(verifySealedExport(source())).resolves.toMatchObject({ ok: true });
  });

  it('names an edited data value by its line: the content no longer matches its hash', async () => {
    const edited = parse(lines[1]!);
    edited.data = { ...edited.data, readAt: '2020-01-01T00:00:00.000Z' };
    const failure = await failureOf(lines.map((line, i) => (i === 1 ? canonicalJson(edited) : line)));
    expect(failure).toMatchObject({ line: lineNo(1), problem: 'hash-mismatch' });
  });

  it('names an edited hash by its line', async () => {
    const edited = parse(lines[1]!);
    edited.metadata = { ...edited.metadata, hash: 'f'.repeat(64) };
    expect(await failureOf(lines.map((line, i) => (i === 1 ? canonicalJson(edited) : line)))).toMatchObject({ line: lineNo(1), problem: 'hash-mismatch' });
  });

  it('names a line whose bytes changed without changing its meaning, as not canonical', async () => {
    const spaced = lines.map((line, i) => (i === 0 ? line.replace('":"', '": "') : line));
    expect(await failureOf(spaced)).toMatchObject({ line: lineNo(0), problem: 'not-canonical' });
  });

  it('names the line after a removed one: its revision leaves a gap', async () => {
    const failure = await failureOf(lines.filter((_, i) => i !== 1));
    expect(failure).toMatchObject({ line: lineNo(1), problem: 'revision-gap', detail: expect.stringContaining('expected revision 1, found 2') });
  });

  it('names an inserted line', async () => {
    const inserted = [lines[0]!, lines[0]!, ...lines.slice(1)];
    expect(await failureOf(inserted)).toMatchObject({ line: lineNo(1), problem: 'revision-gap' });
  });

  it('names the first of two swapped lines', async () => {
    expect(await failureOf(swap(lines, 0, 1))).toMatchObject({ line: lineNo(0), problem: 'revision-gap', detail: expect.stringContaining('expected revision 0, found 1') });
  });

  it("names a line of another stream's export slipped in", async () => {
    const other: string[] = [];
    for await (const line of sealedExportLines({ events, keys, clock }, 'message-m-2')) other.push(line);
    const mixed = [lines[0]!, other[1]!, ...lines.slice(1)];
    expect(await failureOf(mixed)).toMatchObject({ line: lineNo(1), problem: 'foreign-stream' });
  });

  it('names the line where the seal should be when the export is truncated', async () => {
    expect(await failureOf(lines.slice(0, -1))).toMatchObject({ line: lineNo(seal()), problem: 'missing-seal', detail: expect.stringContaining('truncated') });
    expect(await failureOf(lines.slice(0, 2))).toMatchObject({ line: 3, problem: 'missing-seal' });
  });

  it('names the seal when the last events were removed together with nothing else', async () => {
    const failure = await failureOf([...lines.slice(0, 2), lines[seal()]!]);
    expect(failure).toMatchObject({ line: 3, problem: 'seal-mismatch', detail: expect.stringContaining('3 events vs 2 lines') });
  });

  it('names the seal when a chain was rewritten consistently from some line on', async () => {
    const last = parse(lines[2]!);
    last.data = { ...last.data, method: 'idcard' };
    const { hash: _old, ...unsealed } = last.metadata;
    last.metadata = { ...unsealed, hash: eventHash({ stream: String(last.stream), revision: BigInt(String(last.revision)), id: String(last.id), type: String(last.type), data: last.data, metadata: unsealed as { prevHash: string } }) };
    const rewritten = lines.map((line, i) => (i === 2 ? canonicalJson(last) : line));
    expect(await failureOf(rewritten)).toMatchObject({ line: lineNo(seal()), problem: 'seal-mismatch', detail: expect.stringContaining('last hash') });
  });

  it('catches an edited position, which the hash chain does not cover, by order or by the sealed digest', async () => {
    const earlier = parse(lines[1]!);
    earlier.position = '0';
    expect(await failureOf(lines.map((line, i) => (i === 1 ? canonicalJson(earlier) : line)))).toMatchObject({ line: lineNo(1), problem: 'position-order' });
    const later = parse(lines[2]!);
    later.position = String(BigInt(String(later.position)) + 1000n);
    expect(await failureOf(lines.map((line, i) => (i === 2 ? canonicalJson(later) : line)))).toMatchObject({
      line: lineNo(seal()),
      problem: 'seal-mismatch',
      detail: expect.stringContaining('digest of the event lines differs'),
    });
  });

  it('names a line appended after the seal', async () => {
    expect(await failureOf([...lines, lines[0]!])).toMatchObject({ line: lines.length + 1, problem: 'line-after-seal' });
  });

  it('names an altered seal: its signature no longer verifies', async () => {
    const sealLine = parse(lines[seal()]!);
    const [header, payload, signature] = String(sealLine.seal).split('.');
    const flipped = `${signature!.startsWith('A') ? 'B' : 'A'}${signature!.slice(1)}`;
    const altered = lines.map((line, i) => (i === seal() ? canonicalJson({ ...sealLine, seal: `${header}.${payload}.${flipped}` }) : line));
    expect(await failureOf(altered)).toMatchObject({ line: lineNo(seal()), problem: 'seal-signature' });
  });

  it('names a seal whose payload was altered, keeping the signature', async () => {
    const sealLine = parse(lines[seal()]!);
    const [header, payload, signature] = String(sealLine.seal).split('.');
    const forged = Buffer.from(Buffer.from(payload!, 'base64url').toString('utf8').replace(/"events":3/, '"events":2')).toString('base64url');
    const altered = lines.map((line, i) => (i === seal() ? canonicalJson({ ...sealLine, seal: `${header}.${forged}.${signature}` }) : line));
    expect(await failureOf(altered)).toMatchObject({ line: lineNo(seal()), problem: 'seal-signature' });
  });

  it('names a seal signed by another key under the embedded key of the original', async () => {
    const resealed = lines.map(async (line, i) => (i === seal() ? resealedBy(otherKeys, 'original-key') : line));
    expect(await failureOf(await Promise.all(resealed))).toMatchObject({ line: lineNo(seal()), problem: 'seal-key-mismatch' });
  });

  it('names a seal whose embedded key does not match the kid it claims', async () => {
    const sealLine = parse(lines[seal()]!);
    const otherJwk = await publicEvidenceJwk(otherKeys, (await otherKeys.signingKey('evidence')).kid);
    const swapped = lines.map((line, i) => (i === seal() ? canonicalJson({ ...sealLine, jwk: { ...otherJwk, kid: sealLine.kid } }) : line));
    expect(await failureOf(swapped)).toMatchObject({ line: lineNo(seal()), problem: 'seal-key-mismatch', detail: expect.stringContaining('thumbprint') });
  });

  it('accepts a seal forged with a foreign key and its own embedded key only without a JWKS, and refuses it against the published keys', async () => {
    const forged = await Promise.all(lines.map(async (line, i) => (i === seal() ? resealedBy(otherKeys, 'signer-key') : line)));
    // This is why the CLI says so when no JWKS was given: a file can vouch for itself.
    await expect(verifySealedExport(forged)).resolves.toMatchObject({ ok: true, keySource: 'embedded' });
    expect(await failureOf(forged, { jwks: await keys.publicJwks(['evidence']) })).toMatchObject({ line: lineNo(seal()), problem: 'seal-foreign-key' });
  });

  it('refuses a genuine seal against a JWKS that does not hold its key', async () => {
    expect(await failureOf(lines, { jwks: await otherKeys.publicJwks(['evidence']) })).toMatchObject({ line: lineNo(seal()), problem: 'seal-foreign-key' });
  });

  it('refuses a seal line that is not a seal', async () => {
    const broken = lines.map((line, i) => (i === seal() ? canonicalJson({ seal: 'not-a-jws', kid: 'x', jwk: {} }) : line));
    expect(await failureOf(broken)).toMatchObject({ line: lineNo(seal()), problem: 'seal-malformed' });
  });

  it.each([
    ['an empty file', [], 1, 'empty-export'],
    ['an empty line', ['', 'x'], 1, 'empty-line'],
    ['a cut line', ['{"stream":"message-m-1"'], 1, 'not-json'],
    ['a JSON array', ['[]'], 1, 'not-an-event'],
    ['an event line with an extra member', ['{"extra":1}'], 1, 'not-an-event'],
  ])('names %s', async (_name, tampered, line, problem) => {
    expect(await failureOf(tampered)).toMatchObject({ line, problem });
  });

  it('names an event line missing a member', async () => {
    const { position: _dropped, ...rest } = parse(lines[0]!);
    expect(await failureOf([canonicalJson(rest), ...lines.slice(1)])).toMatchObject({ line: 1, problem: 'not-an-event', detail: expect.stringContaining('missing position') });
  });
});
