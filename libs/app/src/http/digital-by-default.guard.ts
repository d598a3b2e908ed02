import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { READ_STORE, type ReadStore } from '@asiointitili/core';
import type { AuthenticatedRequest } from '../auth';
import type { AppConfig } from '../config/app-config';
import { Collections, type AccountDoc } from '../read/projections';
import { ProjectionRunner } from '../read/projections/projection-runner';
import { ChangeAccountCommand } from '../write/use-cases/account';
import { DomainRejection } from '../write/domain-rejection';
import { APP_CONFIG } from '../write/tokens';

/**
 * Digital by default (HE 124/2025): under CONSENT_POLICY=digital-by-default an account is opened
 * automatically at the person's first strong sign-in, that is, their first call with a valid
 * citizen token (every citizen token is at least `substantial`). A closed account is never
 * reopened this way (the domain refuses), and under the consent model nothing happens.
 *
 * A guard, not an interceptor: it only has to act before the handler, and Nest wraps every route
 * with an interceptor in an rxjs pipeline and AsyncResource bindings, which cost the citizen's
 * inbox read more than this check itself. Controller guards run after the global ones, so the
 * principal is the authenticated one, with X-Act-For already applied, as an interceptor saw it.
 */
@Injectable()
export class DigitalByDefaultGuard implements CanActivate {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(READ_STORE) private readonly store: ReadStore,
    private readonly commands: CommandBus,
    private readonly projections: ProjectionRunner,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest & { method: string; path: string }>();
    const principal = request.principal;
    const explicitOpening = request.method === 'POST' && request.path === '/v1/citizen/account';
    if (this.config.consentPolicy === 'digital-by-default' && principal?.role === 'citizen' && principal.onBehalf === undefined && !explicitOpening) {
      // Only the person's own sign-in opens their account, never an agent's call on their behalf.
      const account = await this.store.get<AccountDoc>(Collections.accounts, principal.citizenRef);
      if (!account) await this.openAutomatically(new ChangeAccountCommand(principal, { type: 'open-automatically' }));
    }
    return true;
  }

  private async openAutomatically(command: ChangeAccountCommand): Promise<void> {
    try {
      await this.projections.readYourWrites(await this.commands.execute(command));
    } catch (error) {
      // Already open (a concurrent first request won) or closed by the person: leave it as it is.
      if (!(error instanceof DomainRejection && error.error.kind === 'conflict')) throw error;
    }
  }
}
