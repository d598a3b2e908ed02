/** API.md: unreferenced uploads are deleted after 24 hours. */
export const UNUSED_UPLOAD_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * An upload can be referenced until 5 minutes before the sweeper may take it, so a command that
 * claimed it (and then appends its event) never races the deletion of the file it refers to.
 */
export const CLAIM_MARGIN_MS = 5 * 60 * 1000;

export const claimableUntil = (uploadedAt: string): number => Date.parse(uploadedAt) + UNUSED_UPLOAD_TTL_MS - CLAIM_MARGIN_MS;
