import type { Lease } from '@asiointitili/core';

/** What a claim does to the stored lease; each adapter applies it as a compare-and-set on what it read. */
export type ClaimDecision =
  | { readonly kind: 'insert'; readonly lease: Lease }
  | { readonly kind: 'replace'; readonly lease: Lease }
  | { readonly kind: 'held-by-other'; readonly lease: Lease };

/**
 * The lease rule, once for every adapter: nobody has it → epoch 1; the claimant has it → renewed
 * at the same epoch; it expired (or its holder is known dead) → the claimant takes it at the next
 * epoch; otherwise it stays where it is.
 */
export function decideClaim(current: Lease | null, name: string, holder: string, ttlMs: number, now: number, takeOverFrom?: string): ClaimDecision {
  const expiresAt = now + ttlMs;
  if (current === null) return { kind: 'insert', lease: { name, holder, epoch: 1, expiresAt } };
  if (current.holder === holder) return { kind: 'replace', lease: { ...current, expiresAt } };
  if (current.expiresAt < now || (takeOverFrom !== undefined && takeOverFrom === current.holder)) {
    return { kind: 'replace', lease: { name, holder, epoch: current.epoch + 1, expiresAt } };
  }
  return { kind: 'held-by-other', lease: current };
}
