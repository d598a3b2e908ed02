import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { CLOCK, READ_STORE, type Clock, type ReadStore } from '@asiointitili/core';
import type { AttachmentRef } from '@asiointitili/domain';
import { ProblemException, problem, type FieldProblem } from '../http/problem';
import { Collections } from '../read/projections/collections';
import type { AttachmentClaims } from './attachment-claims';
import { claimableUntil } from './attachment-lifetime';
import { ATTACHMENT_INDEXES, markerId, type AttachmentRecord, type ClaimMarker } from './attachment-records';

/**
 * AttachmentClaims over the read store's `attachments` collection.
 *
 * The store has no transactions (FerretDB), so "only once" cannot be a check-and-set around the
 * event append. What happens instead:
 * - `claim` refuses an id that its record, a claim marker or the attachment-uses projection (the
 *   log's own record of uses) shows as used. That settles every sequential case.
 * - `confirm` writes a marker under a unique index on the attachment id, then sets `usedBy`.
 *   When two commands of the same uploader claim one id at the same moment, both pass `claim`
 *   and both events are appended: the marker write then lands for one and fails for the other.
 *   Nothing is undone (an appended event is a legal fact); the loser is logged, `usedBy` keeps
 *   the first use, and both uses stay valid: each event carries the file's SHA-256, the
 *   projection records both uses, so the parties of both threads can download it, and the
 *   sweeper never deletes a used file. Only the uploader can get there (ids are theirs alone),
 *   and both recipients are ones the uploader chose, so no one sees a file not sent to them.
 * - `confirm` never throws: a crash or failure after the append leaves `usedBy` unset, but the
 *   projection has the use, so a later claim is refused and the sweeper repairs the record
 *   instead of deleting the file.
 */
@Injectable()
export class ReadStoreAttachmentClaims implements AttachmentClaims, OnModuleInit {
  private readonly logger = new Logger('Attachments');

  constructor(
    @Inject(READ_STORE) private readonly store: ReadStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.store.ensureIndexes(ATTACHMENT_INDEXES);
  }

  async claim(owner: string, ids: readonly string[]): Promise<AttachmentRef[]> {
    if (ids.length === 0) return [];
    const [records, marked, used] = await Promise.all([
      this.store.getMany<AttachmentRecord>(Collections.attachments, ids),
      this.attachmentIdsIn(Collections.attachmentClaims, ids),
      this.attachmentIdsIn(Collections.attachmentUses, ids),
    ]);
    const byId = new Map(records.map((record) => [record.id, record]));
    const now = this.clock.now().getTime();
    const problems: FieldProblem[] = [];
    const bad = new Set<string>();
    const seen = new Set<string>();
    ids.forEach((id, index) => {
      const refuse = (why: string): void => {
        problems.push({ field: `attachments[${index}]`, problem: why });
        bad.add(id);
      };
      if (seen.has(id)) return refuse(`${id} is listed more than once`);
      seen.add(id);
      const record = byId.get(id);
      // Unknown and someone else's read the same: an upload's existence is not revealed.
      if (!record || record.owner !== owner) return refuse(`there is no upload ${id} of yours`);
      if (record.usedBy !== null || marked.has(id) || used.has(id)) return refuse(`${id} was already used; upload the file again`);
      if (now >= claimableUntil(record.uploadedAt)) return refuse(`${id} has expired; upload the file again`);
    });
    if (problems.length > 0) {
      throw new ProblemException(
        problem(422, 'attachment-not-usable', `These attachments cannot be used: ${[...bad].join(', ')}.`, { errors: problems, attachments: [...bad] }),
      );
    }
    return ids.map((id) => refOf(byId.get(id)!));
  }

  async confirm(owner: string, ids: readonly string[], usedBy: string): Promise<void> {
    const claimedAt = this.clock.now().toISOString();
    for (const attachmentId of new Set(ids)) {
      try {
        const marker: ClaimMarker = { id: markerId(attachmentId, usedBy), attachmentId, usedBy, owner, claimedAt };
        // Same id for a retried confirm of the same use: an upsert, not a clash.
        await this.store.write([{ op: 'put', collection: Collections.attachmentClaims, doc: marker }]);
      } catch (error) {
        // Whether the unique index refused it is read back from the store, not from the error's
        // class: the same answer from every adapter.
        const first = await this.markerOf(attachmentId).catch(() => null);
        if (first && first.usedBy !== usedBy) {
          this.logger.warn(`attachment ${attachmentId} was referenced concurrently by ${usedBy} and ${first.usedBy}; both keep it (same uploader)`);
        } else {
          this.logger.error(`recording the use of attachment ${attachmentId} by ${usedBy} failed: ${describe(error)}; the log still has it`);
        }
        continue;
      }
      try {
        const record = await this.store.get<AttachmentRecord>(Collections.attachments, attachmentId);
        if (record && record.usedBy === null) await this.store.write([{ op: 'put', collection: Collections.attachments, doc: { ...record, usedBy } }]);
      } catch (error) {
        this.logger.error(`marking attachment ${attachmentId} used by ${usedBy} failed: ${describe(error)}; the sweeper repairs it`);
      }
    }
  }

  private async markerOf(attachmentId: string): Promise<ClaimMarker | null> {
    const page = await this.store.find<ClaimMarker>(Collections.attachmentClaims, { where: { attachmentId }, orderBy: [{ field: 'attachmentId', direction: 'asc' }], limit: 1 });
    return page.items[0] ?? null;
  }

  private async attachmentIdsIn(collection: string, ids: readonly string[]): Promise<Set<string>> {
    const page = await this.store.find<{ id: string; attachmentId: string }>(collection, {
      whereIn: { field: 'attachmentId', values: [...new Set(ids)] },
      orderBy: [{ field: 'attachmentId', direction: 'asc' }],
      limit: 1000,
    });
    return new Set(page.items.map((doc) => doc.attachmentId));
  }
}

export function refOf(record: AttachmentRecord): AttachmentRef {
  return { id: record.id, name: record.name, contentType: record.contentType, size: record.size, sha256: record.sha256 };
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
