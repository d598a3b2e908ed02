import { Inject, Injectable } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@asiointitili/core';
import { agencyStream } from '@asiointitili/domain';

/**
 * Whether an agency is registered, read from the log itself (not a projection) so that a consent
 * or a message right after registration never sees a stale "unknown agency". Agencies are never
 * removed, so a positive answer is cached for the life of the process.
 */
@Injectable()
export class AgencyDirectory {
  private readonly known = new Set<string>();

  constructor(@Inject(EVENT_STORE) private readonly events: EventStore) {}

  async isRegistered(agencyId: string): Promise<boolean> {
    if (this.known.has(agencyId)) return true;
    const history = await this.events.readStream(agencyStream(agencyId), { maxCount: 1 });
    if (history.length > 0) this.known.add(agencyId);
    return history.length > 0;
  }
}
