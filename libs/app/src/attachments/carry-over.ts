import type { Doc, ReadStore } from '@asiointitili/core';
import { Collections } from '../read/projections/collections';
import { ATTACHMENT_INDEXES } from './attachment-records';

/** The attachment collections that are not projections: a rebuild from the log cannot recreate them. */
export const OPERATIONAL_ATTACHMENT_COLLECTIONS = [Collections.attachments, Collections.attachmentClaims] as const;

const PAGE = 1000;

/**
 * Copies the upload records and claim markers from the live read store into a rebuild's new
 * generation, to be called just before it is activated. Without it the swap drops them: pending
 * uploads could no longer be referenced or swept (their files would stay behind for good).
 * Used attachments need nothing: the attachment-uses projection rebuilds them from the log.
 * An upload that arrives between this copy and the swap is still lost (its file is orphaned).
 */
export async function carryOverUploads(from: ReadStore, to: ReadStore): Promise<number> {
  await to.ensureIndexes(ATTACHMENT_INDEXES);
  return carryOverCollections(from, to, OPERATIONAL_ATTACHMENT_COLLECTIONS);
}

/** Copies whole collections, page by page, from the live read store into a rebuild's generation. */
export async function carryOverCollections(from: ReadStore, to: ReadStore, collections: readonly string[]): Promise<number> {
  let copied = 0;
  for (const collection of collections) {
    let cursor: string | null = null;
    do {
      const page: { items: Doc[]; next: string | null } = await from.find<Doc>(collection, { orderBy: [{ field: 'id', direction: 'asc' }], limit: PAGE, cursor });
      if (page.items.length > 0) await to.write(page.items.map((doc) => ({ op: 'put' as const, collection, doc })));
      copied += page.items.length;
      cursor = page.next;
    } while (cursor);
  }
  return copied;
}
