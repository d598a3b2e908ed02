import { MongoClient } from 'mongodb';
import { testDatabaseName } from './ferretdb';
import { serverUrl } from './server-suites';

/**
 * The configurations an end-to-end suite runs the whole app on: always the embedded default, and
 * MongoDB for read models and attachments when MONGODB_URL is set (FerretDB in CI). A skipped
 * target prints one line saying so.
 */
export interface AppTarget {
  readonly name: string;
  /** Environment for startTestApp; call once per app (each call gets a fresh database). */
  env(): Record<string, string>;
  /** Drops what env() created. */
  cleanup(): Promise<void>;
}

export function appTargets(suite: string): AppTarget[] {
  const targets: AppTarget[] = [{ name: 'embedded', env: () => ({}), cleanup: async () => undefined }];
  const mongo = serverUrl('MONGODB_URL');
  if (!mongo) {
    // eslint-disable-next-line no-console
    console.log(`SKIPPED: "${suite}" on MongoDB needs MONGODB_URL; it is not set, so it ran on the embedded default only.`);
    return targets;
  }
  const databases: string[] = [];
  targets.push({
    name: 'MongoDB',
    env() {
      const url = new URL(mongo);
      const database = testDatabaseName('e2e');
      databases.push(database);
      url.pathname = `/${database}`;
      return { MONGODB_URL: url.toString() };
    },
    async cleanup() {
      const client = await MongoClient.connect(mongo);
      try {
        for (const database of databases.splice(0)) await client.db(database).dropDatabase();
      } finally {
        await client.close();
      }
    },
  });
  return targets;
}
