import type { Runtime } from '@asiointitili/app';
import type { AttachmentClaims } from '@asiointitili/app/attachments/attachment-claims';
import type { AgencyPrincipal, CitizenPrincipal } from '@asiointitili/app/auth/principal';
import { AgencyDirectory } from '@asiointitili/app/write/agency-directory';
import { ChangeAccountCommand, ChangeAccountHandler } from '@asiointitili/app/write/use-cases/account';
import { RegisterAgencyCommand, RegisterAgencyHandler } from '@asiointitili/app/write/use-cases/register-agency';
import { SendMessageCommand, SendMessageHandler } from '@asiointitili/app/write/use-cases/send-message';
import { runPool } from './pool';
import { recipientIndex } from './population';
import { messageInput } from './workload';

/** Enough requests in flight for group commit to fill its batches; more only queues in memory. */
const SEED_CONCURRENCY = 256;

/** The bench sends no attachments; uploads are measured by the attachments issue, not here. */
const NO_ATTACHMENTS: AttachmentClaims = {
  async claim(_owner, ids) {
    if (ids.length > 0) throw new Error('the bench seeds messages without attachments');
    return [];
  },
  async confirm() {},
};

/**
 * Seeding goes through the application's own command handlers (not raw events), so the log is
 * exactly what the HTTP API would have written: hash chains, deterministic ids, routing.
 */
export async function registerAgency(runtime: Runtime, agencyId: string): Promise<void> {
  const handler = new RegisterAgencyHandler(runtime.executor, runtime.clock);
  await handler.execute(new RegisterAgencyCommand({ role: 'admin', subject: 'bench' }, { id: agencyId, name: `Agency ${agencyId}`, businessId: '0737546-2' }));
}

/** Opens an account and grants consent to `agencyId` for every citizen. */
export async function seedConsentingCitizens(runtime: Runtime, hetus: readonly string[], agencyId: string): Promise<void> {
  const handler = new ChangeAccountHandler(runtime.executor, new AgencyDirectory(runtime.events), runtime.clock, runtime.personalData);
  await runPool(hetus.length, SEED_CONCURRENCY, async (index) => {
    const hetu = hetus[index]!;
    const principal: CitizenPrincipal = { role: 'citizen', hetu, citizenRef: runtime.citizenRefs.refOf(hetu), acr: 'high', amr: 'bank' };
    await handler.execute(new ChangeAccountCommand(principal, { type: 'open', language: 'fi' }));
    await handler.execute(new ChangeAccountCommand(principal, { type: 'grant', agencyId }));
  });
}

/** Sends messages number `from`..`from+count-1` of the bench's sequence through SendMessageHandler. */
export async function seedMessages(runtime: Runtime, hetus: readonly string[], agencyId: string, runId: string, from: number, count: number): Promise<void> {
  const handler = new SendMessageHandler(runtime.executor, new AgencyDirectory(runtime.events), runtime.citizenRefs, NO_ATTACHMENTS, runtime.config, runtime.clock);
  const principal: AgencyPrincipal = { role: 'agency', agencyId };
  await runPool(count, SEED_CONCURRENCY, async (offset) => {
    const k = from + offset;
    const hetu = hetus[recipientIndex(k, hetus.length)]!;
    const input = messageInput(hetu, `${runId}-seed-${k}`);
    await handler.execute(
      new SendMessageCommand(principal, {
        hetu,
        kind: input.kind,
        delivery: input.delivery,
        subject: input.subject,
        body: input.body,
        attachments: [],
        replyAllowed: input.replyAllowed,
        externalId: input.externalId,
      }),
    );
  });
}
