import { SqliteEventStore } from '@asiointitili/event-store';
import { KeyRing } from '../../keys';
import { recordMessage, registeredAcknowledged, registeredPending } from './message-history';

export const SEEDED_STREAM = 'message-m-ack';
export const OTHER_SEEDED_STREAM = 'message-m-wait';

/**
 * A DATA_DIR as the server leaves it (an embedded event log and the key ring), holding an
 * acknowledged registered message and a pending one, for specs of the operator commands.
 * Everything is closed again, as it would be by a stopped server.
 */
export async function seedDataDir(dataDir: string): Promise<{ readonly keys: KeyRing }> {
  const events = SqliteEventStore.open(dataDir);
  try {
    await recordMessage(events, 'm-ack', registeredAcknowledged('m-ack'));
    await recordMessage(events, 'm-wait', registeredPending('m-wait'));
  } finally {
    await events.close();
  }
  return { keys: await KeyRing.open(dataDir) };
}
