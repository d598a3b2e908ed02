/** Hand-off to the print service (paper letters; registered letters against a receipt). */
export interface PrintJob {
  /** Deterministic (message id): the print service gets each letter once however often we retry. */
  readonly id: string;
  readonly messageId: string;
  readonly agencyId: string;
  readonly citizenRef: string;
  readonly delivery: 'ordinary' | 'registered';
  readonly reason: string;
  readonly contentSha256: string;
  readonly subject: string;
  readonly body: string;
  readonly attachments: readonly { readonly id: string; readonly name: string; readonly sha256: string }[];
}

export interface PrintChannel {
  submit(job: PrintJob): Promise<void>;
}

export const PRINT_CHANNEL = Symbol('PRINT_CHANNEL');
