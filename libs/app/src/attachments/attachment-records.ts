import type { Doc, IndexSpec } from '@asiointitili/core';
import type { Principal } from '../auth/principal';
import { Collections } from '../read/projections/collections';

/**
 * An upload, kept in the read store's `attachments` collection. It is an operational record,
 * not an event: nothing legal has happened until a message, reply or application references the
 * file, and that event carries the AttachmentRef (name, type, size, SHA-256) as the evidence.
 */
export interface AttachmentRecord extends Doc {
  /** `agency:<agencyId>` or `citizen:<citizenRef>`: only this principal may reference it. */
  readonly owner: string;
  readonly name: string;
  readonly contentType: string;
  readonly size: number;
  readonly sha256: string;
  readonly uploadedAt: string;
  /** Set once a message, reply or application references it (see attachment-use.ts); null before. */
  readonly usedBy: string | null;
}

/**
 * The first use of an upload, id `<attachmentId>~<usedBy>`, under a unique index on
 * `attachmentId`: writing it is the one conditional step the read store offers (no transactions
 * on FerretDB), so of two uses racing, exactly one marker lands.
 */
export interface ClaimMarker extends Doc {
  readonly attachmentId: string;
  readonly usedBy: string;
  readonly owner: string;
  readonly claimedAt: string;
}

/**
 * A use recorded by the attachment-uses projection, id `<attachmentId>~<usedBy>`: rebuilt from
 * the log, so the parties' access survives a read-model rebuild and a crash before `confirm`.
 */
export interface AttachmentUseDoc extends Doc {
  readonly attachmentId: string;
  readonly usedBy: string;
  readonly agencyId: string;
  readonly citizenRef: string;
  readonly seq: string;
}

export const markerId = (attachmentId: string, usedBy: string): string => `${attachmentId}~${usedBy}`;

/** The owner key of an uploader; auditors and admins never upload. */
export function ownerKey(principal: Principal): string {
  switch (principal.role) {
    case 'agency':
      return `agency:${principal.agencyId}`;
    case 'citizen':
      return `citizen:${principal.citizenRef}`;
    default:
      throw new Error(`a ${principal.role} has no attachments`);
  }
}

/** Indexes of the operational collections (the projection declares its own). */
export const ATTACHMENT_INDEXES: readonly IndexSpec[] = [
  // The sweeper's scan: unused uploads, oldest first.
  { collection: Collections.attachments, fields: [{ field: 'usedBy', direction: 'asc' }, { field: 'uploadedAt', direction: 'asc' }] },
  { collection: Collections.attachmentClaims, fields: [{ field: 'attachmentId', direction: 'asc' }], unique: true },
];
