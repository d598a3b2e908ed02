/**
 * Broken business rules, as data. The HTTP layer maps `kind` to a status code:
 * not-found → 404, conflict → 409, forbidden → 403, invalid → 422.
 */
export type DomainErrorKind = 'not-found' | 'conflict' | 'forbidden' | 'invalid';

export interface DomainError {
  readonly kind: DomainErrorKind;
  /** Stable machine-readable code, e.g. `account-already-open`; becomes part of the problem `type`. */
  readonly code: string;
  readonly detail: string;
}

export const domainError = (kind: DomainErrorKind, code: string, detail: string): DomainError => ({ kind, code, detail });
