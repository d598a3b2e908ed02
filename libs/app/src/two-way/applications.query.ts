import { Inject, Injectable } from '@nestjs/common';
import { READ_STORE, type Page, type ReadStore } from '@asiointitili/core';
import { Collections } from '../read/projections/collections';
import type { ApplicationDoc } from './applications.projection';
import { applicationSummary, applicationView, type ApplicationSummary, type ApplicationView } from './views';

export type ApplicationParty = { readonly agencyId: string } | { readonly citizenRef: string };

/** Applications as their two parties see them: the agency those addressed to it, the citizen their own. Newest first. */
@Injectable()
export class ApplicationsQuery {
  constructor(@Inject(READ_STORE) private readonly store: ReadStore) {}

  async list(party: ApplicationParty, limit: number, cursor: string | undefined): Promise<Page<ApplicationSummary>> {
    const page = await this.store.find<ApplicationDoc>(Collections.applications, {
      where: 'agencyId' in party ? { agencyId: party.agencyId } : { citizenRef: party.citizenRef },
      orderBy: [{ field: 'submittedAt', direction: 'desc' }],
      limit,
      cursor,
    });
    return { items: page.items.map(applicationSummary), next: page.next };
  }

  /** null when there is no such application or it is someone else's (→ 404 either way). */
  async one(party: ApplicationParty, id: string): Promise<ApplicationView | null> {
    const doc = await this.store.get<ApplicationDoc>(Collections.applications, id);
    if (!doc) return null;
    const ours = 'agencyId' in party ? doc.agencyId === party.agencyId : doc.citizenRef === party.citizenRef;
    return ours ? applicationView(doc) : null;
  }
}
