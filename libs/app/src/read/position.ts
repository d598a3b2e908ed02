/**
 * Global positions are bigints. Stored in documents they are zero-padded decimal strings, so
 * that string order equals numeric order in every read store (SQLite and MongoDB sort strings).
 */
const WIDTH = 20; // 2^64 has 20 digits

export const padPosition = (position: bigint): string => position.toString().padStart(WIDTH, '0');

export const parsePosition = (text: string): bigint => {
  if (!/^\d{1,20}$/.test(text)) throw new RangeError(`not a position: ${text}`);
  return BigInt(text);
};
