import type { DomainError } from '@asiointitili/domain';

/** A command the domain refused. The HTTP layer turns it into problem+json (see http/problem). */
export class DomainRejection extends Error {
  constructor(readonly error: DomainError) {
    super(error.detail);
    this.name = 'DomainRejection';
  }
}

/** The command kept losing optimistic-concurrency races; the client may retry. */
export class ContentionError extends Error {
  constructor(readonly stream: string, readonly attempts: number) {
    super(`stream ${stream} stayed contended for ${attempts} attempts`);
    this.name = 'ContentionError';
  }
}
