import { randomBytes } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock } from '@asiointitili/core';
import { agencyDecider, agencyStream, type AgencyState } from '@asiointitili/domain';
import { actorOf, type AgencyPrincipal } from '../auth/principal';
import type { AppConfig } from '../config/app-config';
import { ProblemException, problem } from '../http/problem';
import { CommandExecutor } from '../write/command-executor';
import { requestContext } from '../write/request-context';
import { APP_CONFIG } from '../write/tokens';
import { checkWebhookUrl } from './webhook-url-policy';
import { WEBHOOK_SECRETS, type WebhookSecrets } from './webhook-secrets';

export interface CreatedWebhook {
  readonly id: string;
  readonly url: string;
  /** `whsec_…`: shown in this answer only; the service derives it again for each delivery and stores it nowhere. */
  readonly secret: string;
  readonly subscribedAt: string;
}

export interface RemovedWebhook {
  readonly id: string;
  readonly removedAt: string;
}

export class SubscribeWebhookCommand {
  constructor(readonly principal: AgencyPrincipal, readonly url: string, readonly requestId?: string) {}
}

export class RemoveWebhookCommand {
  constructor(readonly principal: AgencyPrincipal, readonly webhookId: string, readonly requestId?: string) {}
}

/** `wh_` and 128 random bits: ids are opaque and cannot be guessed across agencies. */
const newWebhookId = (): string => `wh_${randomBytes(16).toString('base64url')}`;

/** The URL is checked against the network policy here (it needs DNS); the domain keeps the count and uniqueness. */
@CommandHandler(SubscribeWebhookCommand)
export class SubscribeWebhookHandler implements ICommandHandler<SubscribeWebhookCommand, CreatedWebhook> {
  constructor(
    private readonly executor: CommandExecutor,
    @Inject(WEBHOOK_SECRETS) private readonly secrets: WebhookSecrets,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ principal, url, requestId }: SubscribeWebhookCommand): Promise<CreatedWebhook> {
    const checked = await checkWebhookUrl(url, { production: this.config.auth.production });
    if (!checked.ok) throw new ProblemException(problem(422, checked.code, checked.detail, { errors: [{ field: 'url', problem: checked.detail }] }));
    const webhookId = newWebhookId();
    const at = this.clock.now().toISOString();
    const { agencyId } = principal;
    await this.executor.execute(agencyStream(agencyId), agencyDecider, { type: 'SubscribeWebhook', agencyId, webhookId, url: checked.url, at }, requestContext(actorOf(principal), requestId));
    return { id: webhookId, url: checked.url, secret: this.secrets.secretOf(webhookId), subscribedAt: at };
  }
}

@CommandHandler(RemoveWebhookCommand)
export class RemoveWebhookHandler implements ICommandHandler<RemoveWebhookCommand, RemovedWebhook> {
  constructor(private readonly executor: CommandExecutor, @Inject(CLOCK) private readonly clock: Clock) {}

  async execute({ principal, webhookId, requestId }: RemoveWebhookCommand): Promise<RemovedWebhook> {
    const { agencyId } = principal;
    const { state } = await this.executor.execute(
      agencyStream(agencyId),
      agencyDecider,
      { type: 'RemoveWebhook', agencyId, webhookId, at: this.clock.now().toISOString() },
      requestContext(actorOf(principal), requestId),
    );
    // A repeat appends nothing and answers with the first removal's time.
    const removedAt = webhooksOf(state).find((w) => w.webhookId === webhookId)?.removedAt;
    if (removedAt === undefined) throw new Error(`webhook ${webhookId} is not removed after its removal`);
    return { id: webhookId, removedAt };
  }
}

export const webhooksOf = (state: AgencyState) => (state.registered ? state.webhooks : []);
