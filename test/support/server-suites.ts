/**
 * Suites that need a server (MongoDB, EventStoreDB) run only when its URL is set, and otherwise
 * say plainly that they were skipped, so a green run on a laptop is never mistaken for a run
 * against the production adapters.
 */
export type ServerVariable = 'MONGODB_URL' | 'EVENTSTORE_URL';

export function serverUrl(variable: ServerVariable): string | undefined {
  const value = process.env[variable]?.trim();
  return value ? value : undefined;
}

/** `describe` when the variable is set; otherwise `describe.skip` and one printed line naming the variable. */
export function describeWithServer(variable: ServerVariable, name: string, body: (url: string) => void): void {
  const url = serverUrl(variable);
  if (url) {
    describe(name, () => body(url));
    return;
  }
  // eslint-disable-next-line no-console
  console.log(`SKIPPED: "${name}" needs ${variable}; it is not set, so this suite did not run.`);
  describe.skip(name, () => body('unset'));
}

/** A database/collection-name suffix unique to this test run and worker, so suites never see each other's data. */
export function uniqueSuffix(): string {
  return `${process.pid}_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6).toString(36)}`;
}
