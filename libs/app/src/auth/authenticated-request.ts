import type { Principal } from './principal';

/** The part of an HTTP request the auth pieces read and write. */
export interface AuthenticatedRequest {
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  /** Set by AuthGuard on every route that is not @Public(). */
  principal?: Principal;
}
