import type { Readable } from 'node:stream';
import { Inject, Injectable } from '@nestjs/common';
import { BLOB_STORE, READ_STORE, type BlobStore, type ReadStore } from '@asiointitili/core';
import {
  applicationDecider,
  applicationStream,
  assertNever,
  contentVisible,
  messageDecider,
  messageStream,
  type AttachmentRef,
  type ReplySent,
} from '@asiointitili/domain';
import type { AgencyPrincipal, CitizenPrincipal } from '../auth/principal';
import { ATTACHMENT_ID_PATTERN } from '../http/limits';
import { Collections } from '../read/projections/collections';
import { CommandExecutor } from '../write/command-executor';
import { ownerKey, type AttachmentRecord, type AttachmentUseDoc } from './attachment-records';
import { parseUsedBy, type AttachmentUse } from './attachment-use';
import { refOf } from './read-store-attachment-claims';

export type Party = CitizenPrincipal | AgencyPrincipal;

export interface OpenedAttachment {
  /** From the event that used it (or the upload record before use): what the download declares. */
  readonly ref: AttachmentRef;
  readonly content: Readable;
}

/**
 * Who may download an attachment: before use, its uploader; after, the parties of the thread it
 * was used in — the sending agency and the recipient of a message (the recipient only once the
 * content is visible: a registered message's attachments stay locked until acknowledgement, like
 * its body), the citizen and the agency of a reply or an application. Everyone else gets null
 * (→ 404, existence is never revealed).
 *
 * Uses are found in the attachment-uses projection and in the upload's `usedBy` (which is there
 * before the projection catches up); each is then checked against the authoritative stream, so
 * a use counts only if its event really lists the file, and visibility follows the latest state.
 */
@Injectable()
export class AttachmentAccess {
  constructor(
    @Inject(READ_STORE) private readonly store: ReadStore,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
    private readonly executor: CommandExecutor,
  ) {}

  async open(principal: Party, id: string): Promise<OpenedAttachment | null> {
    const ref = await this.visibleRef(principal, id);
    if (!ref) return null;
    const content = await this.blobs.get(id);
    return content ? { ref, content } : null;
  }

  async visibleRef(principal: Party, id: string): Promise<AttachmentRef | null> {
    if (!ATTACHMENT_ID_PATTERN.test(id)) return null;
    const [record, uses] = await Promise.all([
      this.store.get<AttachmentRecord>(Collections.attachments, id),
      this.store.find<AttachmentUseDoc>(Collections.attachmentUses, { where: { attachmentId: id }, orderBy: [{ field: 'seq', direction: 'asc' }], limit: 100 }),
    ]);
    const usedBy = new Set(uses.items.map((use) => use.usedBy));
    if (record?.usedBy) usedBy.add(record.usedBy);
    if (usedBy.size === 0) return record && record.owner === ownerKey(principal) ? refOf(record) : null;
    for (const key of usedBy) {
      const use = parseUsedBy(key);
      const ref = use ? await this.refVisibleIn(use, id, principal) : null;
      if (ref) return ref;
    }
    return null;
  }

  private async refVisibleIn(use: AttachmentUse, id: string, principal: Party): Promise<AttachmentRef | null> {
    switch (use.kind) {
      case 'message': {
        const { state } = await this.executor.load(messageStream(use.messageId), messageDecider);
        if (!state.exists) return null;
        const ref = state.message.attachments.find((a) => a.id === id);
        if (!ref) return null;
        if (principal.role === 'agency') return principal.agencyId === state.message.agencyId ? ref : null;
        return principal.citizenRef === state.message.citizenRef && contentVisible(state) ? ref : null;
      }
      case 'reply': {
        const { state, events } = await this.executor.load(messageStream(use.messageId), messageDecider);
        if (!state.exists) return null;
        const reply = events.find((event) => event.type === 'ReplySent' && event.data.replyId === use.replyId);
        const ref = (reply?.data as ReplySent['data'] | undefined)?.attachments.find((a) => a.id === id);
        if (!ref) return null;
        return isParty(principal, state.message.agencyId, state.message.citizenRef) ? ref : null;
      }
      case 'application': {
        const { state } = await this.executor.load(applicationStream(use.applicationId), applicationDecider);
        if (!state.submitted) return null;
        const ref = state.attachments.find((a) => a.id === id);
        return ref && isParty(principal, state.agencyId, state.citizenRef) ? ref : null;
      }
      default:
        return assertNever(use);
    }
  }
}

function isParty(principal: Party, agencyId: string, citizenRef: string): boolean {
  return principal.role === 'agency' ? principal.agencyId === agencyId : principal.citizenRef === citizenRef;
}
