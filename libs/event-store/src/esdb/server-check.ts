/**
 * What the adapter checks before the process serves anything (EventStoreDbEventStore.verifyServer):
 * the server's version and that this user may read $all. Both are findings of a review against
 * the client's (6.2.1) and the server's source, not of a running server (none runs in CI here).
 *
 * - Version: the client asks the server's ServerFeatures service (21.10 and later answer it; an
 *   older server answers UNIMPLEMENTED and the client reports "unknown"). The adapter relies on
 *   server-side filtered $all subscriptions, commit positions on stream reads and idempotent
 *   appends by event id; 22.10 is the oldest long-term-support line with all of them that is
 *   still a supported upgrade path, so anything older (or unknown) is refused.
 * - $all: reading it is authorised against the ACL of the `$all` stream, a system stream, whose
 *   default ACL is `$admins` only (EventStore.Core LegacyStreamPermissionAssertion and
 *   IndexReader.GetEffectiveAcl → SystemSettings.Default.SystemStreamAcl). A least-privilege user
 *   therefore fails every subscription unless the $all metadata grants it read.
 */
export const MINIMUM_SERVER_VERSION = '22.10';

export class EventStoreServerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EventStoreServerError';
  }
}

/** `24.10.0.0` → [24, 10, 0, 0]; undefined for anything else (the client's "unknown"). */
export function parseServerVersion(version: string): number[] | undefined {
  if (!/^\d+(\.\d+)*$/.test(version.trim())) return undefined;
  return version.trim().split('.').map(Number);
}

export function isSupportedServerVersion(version: string): boolean {
  const parsed = parseServerVersion(version);
  if (!parsed) return false;
  const minimum = parseServerVersion(MINIMUM_SERVER_VERSION)!;
  for (let i = 0; i < minimum.length; i++) {
    const part = parsed[i] ?? 0;
    if (part !== minimum[i]) return part > minimum[i]!;
  }
  return true;
}

export function unsupportedVersionError(version: string): EventStoreServerError {
  return new EventStoreServerError(
    version === 'unknown'
      ? `EventStoreDB did not report its version (a server older than 21.10 has no ServerFeatures service): upgrade to ${MINIMUM_SERVER_VERSION} or later`
      : `EventStoreDB ${version} is older than the ${MINIMUM_SERVER_VERSION} this product needs (filtered $all subscriptions, positions on stream reads): upgrade the cluster`,
  );
}

export function allReadDeniedError(user: string | undefined): EventStoreServerError {
  const who = user ?? '<the user in EVENTSTORE_URL>';
  return new EventStoreServerError(
    `the EventStoreDB user ${who} may not read $all, which every projection and process manager follows. ` +
      `Grant it on the $all stream's metadata (as an admin): ` +
      `setStreamMetadata("$all", { acl: { readRoles: ["${who}"] } }) — i.e. append {"$acl":{"$r":["${who}"]}} to "$$$all" — ` +
      `or give the user a role listed there. Do not make it a member of $admins (docs/deployment.md, EventStoreDB user).`,
  );
}

/** Runs `work` with a deadline of our own (the client's reads run with deadline Infinity); `onTimeout` cancels it. */
export async function withDeadline<T>(work: Promise<T>, ms: number, what: string, onTimeout: () => void = () => undefined): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onTimeout();
      reject(new DeadlineError(`${what} did not answer within ${ms} ms`));
    }, ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export class DeadlineError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeadlineError';
  }
}
