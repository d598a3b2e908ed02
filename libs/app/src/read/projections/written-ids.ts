/**
 * Which ids a rebuild has written to its fresh generation, remembered in a few bits each: a Bloom
 * filter, so "no" is certain and "maybe" is rarely wrong (under 1 in 1,000 per segment). The rebuild only
 * needs "certainly never written" to skip a store read; a wrong "maybe" costs one read that finds
 * nothing. A Set of the ids themselves held every id of the log in memory (about 100 bytes each,
 * 6 million at a million events) and made every major garbage collection walk them.
 *
 * Grows by adding filters of SEGMENT ids each, so nothing needs the final count up front.
 */
export class WrittenIds {
  private readonly segments: Uint32Array[] = [];
  private readonly mask: number;
  private inLast: number;

  /** `segmentIds`: ids per segment, a power of two (smaller only in tests). */
  constructor(private readonly segmentIds = SEGMENT_IDS) {
    if (!Number.isSafeInteger(segmentIds) || segmentIds < 2 || (segmentIds & (segmentIds - 1)) !== 0 || segmentIds > 1 << 26) {
      throw new RangeError(`ids per segment must be a power of two up to 2^26, got ${segmentIds}`);
    }
    this.mask = segmentIds * BITS_PER_ID - 1;
    this.inLast = segmentIds;
  }

  add(id: string): void {
    if (this.inLast >= this.segmentIds) {
      this.segments.push(new Uint32Array((this.segmentIds * BITS_PER_ID) / 32));
      this.inLast = 0;
    }
    const bits = this.segments[this.segments.length - 1]!;
    const [h1, h2] = hashes(id);
    for (let probe = 0; probe < PROBES; probe++) {
      const bit = ((h1 + Math.imul(probe, h2)) & this.mask) >>> 0;
      bits[bit >>> 5]! |= 1 << (bit & 31);
    }
    this.inLast++;
  }

  /** False only for an id never added. */
  mightHave(id: string): boolean {
    if (this.segments.length === 0) return false;
    const [h1, h2] = hashes(id);
    for (const bits of this.segments) if (this.inSegment(bits, h1, h2)) return true;
    return false;
  }

  private inSegment(bits: Uint32Array, h1: number, h2: number): boolean {
    for (let probe = 0; probe < PROBES; probe++) {
      const bit = ((h1 + Math.imul(probe, h2)) & this.mask) >>> 0;
      if ((bits[bit >>> 5]! & (1 << (bit & 31))) === 0) return false;
    }
    return true;
  }
}

/** 2^20 ids per segment at 16 bits an id (2 MiB) and 7 probes: ~0.07 % false "maybe" per full segment. */
const SEGMENT_IDS = 1 << 20;
const BITS_PER_ID = 16;
const PROBES = 7;

/** Two independent 32-bit hashes of the UTF-16 code units (FNV-1a and a multiply-rotate mix), for double hashing. */
function hashes(id: string): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x9e3779b9;
  for (let index = 0; index < id.length; index++) {
    const unit = id.charCodeAt(index);
    a = Math.imul(a ^ unit, 0x01000193);
    b = Math.imul((b ^ unit) << 5 | (b ^ unit) >>> 27, 0x85ebca6b);
  }
  b ^= b >>> 16;
  b = Math.imul(b, 0xc2b2ae35);
  b ^= b >>> 13;
  // An odd step visits distinct bits on every probe.
  return [a >>> 0, (b | 1) >>> 0];
}
