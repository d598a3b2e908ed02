/** maxCount of a read: a non-negative safe integer (0 reads nothing). */
export function validMaxCount(operation: string, maxCount: number): number {
  if (!Number.isSafeInteger(maxCount) || maxCount < 0) throw new RangeError(`${operation}: maxCount must be a non-negative integer, got ${maxCount}`);
  return maxCount;
}

/** fromRevision of a stream read: a non-negative bigint. */
export function validFromRevision(fromRevision: bigint): bigint {
  if (fromRevision < 0n) throw new RangeError(`readStream: fromRevision must not be negative, got ${fromRevision}`);
  return fromRevision;
}
