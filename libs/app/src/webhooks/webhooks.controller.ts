import { Body, Controller, Delete, Get, Header, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { READ_STORE, type ReadStore } from '@asiointitili/core';
import { agencyDecider, agencyStream, isActiveWebhook, type AgencyWebhook } from '@asiointitili/domain';
import { CurrentPrincipal, Roles, type AgencyPrincipal } from '../auth';
import { ApiProblems } from '../http/openapi/api-problems.decorator';
import { RequestId } from '../http/request-id.decorator';
import { Collections } from '../read/projections/collections';
import { CommandExecutor } from '../write/command-executor';
import { RemoveWebhookCommand, SubscribeWebhookCommand, webhooksOf, type CreatedWebhook, type RemovedWebhook } from './webhook-commands';
import type { WebhookDeliveryDoc } from './webhook-records';
import { CreatedWebhookView, CreateWebhookDto, RemovedWebhookView, WebhookIdParam, WebhookListView, type WebhookView } from './webhooks.dto';

/** An agency subscribes its own feed; it sees and removes only its own webhooks. */
@ApiTags('agency')
@ApiBearerAuth()
@Roles('agency')
@Controller('v1/agency/webhooks')
export class WebhooksController {
  constructor(
    private readonly commands: CommandBus,
    private readonly executor: CommandExecutor,
    @Inject(READ_STORE) private readonly store: ReadStore,
  ) {}

  @Post()
  @HttpCode(201)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Subscribe a URL to this agency\'s feed (push instead of polling)' })
  @ApiCreatedResponse({ type: CreatedWebhookView, description: 'Created; the secret is in this answer only.' })
  @ApiProblems({ status: 403, description: 'The agency is not registered.' }, 409, { status: 422, description: 'Not an https URL, a private address in production, or too many webhooks.' })
  create(@CurrentPrincipal('agency') principal: AgencyPrincipal, @Body() body: CreateWebhookDto, @RequestId() requestId?: string): Promise<CreatedWebhook> {
    return this.commands.execute(new SubscribeWebhookCommand(principal, body.url, requestId));
  }

  @Get()
  @ApiOperation({ summary: 'This agency\'s webhooks with their delivery state, last delivery and last failure' })
  @ApiOkResponse({ type: WebhookListView })
  async list(@CurrentPrincipal('agency') principal: AgencyPrincipal): Promise<{ items: WebhookView[] }> {
    const { state } = await this.executor.load(agencyStream(principal.agencyId), agencyDecider);
    const active = webhooksOf(state).filter(isActiveWebhook);
    const deliveries = await this.store.getMany<WebhookDeliveryDoc>(Collections.webhookDeliveries, active.map((w) => w.webhookId));
    const byId = new Map(deliveries.map((d) => [d.id, d]));
    return { items: active.map((w) => webhookView(w, byId.get(w.webhookId))) };
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Remove a webhook: no further deliveries to it' })
  @ApiOkResponse({ type: RemovedWebhookView })
  @ApiProblems({ status: 404, description: 'No such webhook of this agency.' }, 409)
  remove(@CurrentPrincipal('agency') principal: AgencyPrincipal, @Param() { id }: WebhookIdParam, @RequestId() requestId?: string): Promise<RemovedWebhook> {
    return this.commands.execute(new RemoveWebhookCommand(principal, id, requestId));
  }
}

function webhookView(webhook: AgencyWebhook, delivery: WebhookDeliveryDoc | undefined): WebhookView {
  return {
    id: webhook.webhookId,
    url: webhook.url,
    state: delivery && delivery.failures > 0 ? 'retrying' : 'delivering',
    subscribedAt: webhook.subscribedAt,
    delivered: delivery?.delivered ?? 0,
    ...(delivery?.cursor !== undefined ? { lastDeliveredCursor: BigInt(delivery.cursor).toString() } : {}),
    ...(delivery?.lastDeliveredAt !== undefined ? { lastDeliveredAt: delivery.lastDeliveredAt } : {}),
    failures: delivery?.failures ?? 0,
    ...(delivery?.nextAttemptAt !== undefined && delivery.failures > 0 ? { nextAttemptAt: delivery.nextAttemptAt } : {}),
    ...(delivery?.lastFailure !== undefined ? { lastFailure: delivery.lastFailure } : {}),
  };
}
