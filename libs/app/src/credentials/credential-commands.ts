import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock } from '@asiointitili/core';
import { agencyDecider, agencyStream, type AgencyState, type RegisteredAgency } from '@asiointitili/domain';
import { actorOf, type Principal } from '../auth/principal';
import { ProblemException, problem } from '../http/problem';
import { CommandExecutor } from '../write/command-executor';
import { requestContext } from '../write/request-context';
import { AgencyCredentials } from './agency-credentials';
import { hashSecret, newClientId, newClientSecret } from './client-secret';
import { InvalidCidrError, normaliseCidrs } from './ip-allowlist';

export interface IssuedCredential {
  readonly clientId: string;
  /** Shown in this answer only; the service keeps its hash. */
  readonly clientSecret: string;
  readonly issuedAt: string;
}

export interface RevokedCredential {
  readonly clientId: string;
  readonly revokedAt: string;
}

export class IssueCredentialCommand {
  constructor(readonly principal: Principal, readonly agencyId: string, readonly requestId?: string) {}
}

export class RevokeCredentialCommand {
  constructor(readonly principal: Principal, readonly agencyId: string, readonly clientId: string, readonly requestId?: string) {}
}

export class SetIpAllowlistCommand {
  constructor(readonly principal: Principal, readonly agencyId: string, readonly cidrs: readonly string[], readonly requestId?: string) {}
}

/** The secret is generated and hashed here; the domain sees only the hash, and the log only what the domain records. */
@CommandHandler(IssueCredentialCommand)
export class IssueCredentialHandler implements ICommandHandler<IssueCredentialCommand, IssuedCredential> {
  constructor(private readonly executor: CommandExecutor, private readonly credentials: AgencyCredentials, @Inject(CLOCK) private readonly clock: Clock) {}

  async execute({ principal, agencyId, requestId }: IssueCredentialCommand): Promise<IssuedCredential> {
    const clientId = newClientId(agencyId);
    const clientSecret = newClientSecret();
    const hashed = await hashSecret(clientSecret);
    const at = this.clock.now().toISOString();
    await this.executor.execute(agencyStream(agencyId), agencyDecider, { type: 'IssueAgencyCredential', agencyId, clientId, ...hashed, at }, requestContext(actorOf(principal), requestId));
    this.credentials.forget(agencyId);
    return { clientId, clientSecret, issuedAt: at };
  }
}

@CommandHandler(RevokeCredentialCommand)
export class RevokeCredentialHandler implements ICommandHandler<RevokeCredentialCommand, RevokedCredential> {
  constructor(private readonly executor: CommandExecutor, private readonly credentials: AgencyCredentials, @Inject(CLOCK) private readonly clock: Clock) {}

  async execute({ principal, agencyId, clientId, requestId }: RevokeCredentialCommand): Promise<RevokedCredential> {
    const { state } = await this.executor.execute(
      agencyStream(agencyId),
      agencyDecider,
      { type: 'RevokeAgencyCredential', agencyId, clientId, at: this.clock.now().toISOString() },
      requestContext(actorOf(principal), requestId),
    );
    this.credentials.forget(agencyId);
    // A repeat appends nothing and answers with the first revocation's time.
    const revokedAt = registered(state).credentials.find((c) => c.clientId === clientId)?.revokedAt;
    if (revokedAt === undefined) throw new Error(`credential ${clientId} is not revoked after its revocation`);
    return { clientId, revokedAt };
  }
}

@CommandHandler(SetIpAllowlistCommand)
export class SetIpAllowlistHandler implements ICommandHandler<SetIpAllowlistCommand, { cidrs: readonly string[] }> {
  constructor(private readonly executor: CommandExecutor, private readonly credentials: AgencyCredentials, @Inject(CLOCK) private readonly clock: Clock) {}

  async execute({ principal, agencyId, cidrs, requestId }: SetIpAllowlistCommand): Promise<{ cidrs: readonly string[] }> {
    let normalised: string[];
    try {
      normalised = normaliseCidrs(cidrs);
    } catch (error) {
      if (!(error instanceof InvalidCidrError)) throw error;
      throw new ProblemException(problem(422, 'invalid-cidr', error.message, { errors: [{ field: 'cidrs', problem: error.message }] }));
    }
    const { state } = await this.executor.execute(
      agencyStream(agencyId),
      agencyDecider,
      { type: 'SetAgencyIpAllowlist', agencyId, cidrs: normalised, at: this.clock.now().toISOString() },
      requestContext(actorOf(principal), requestId),
    );
    this.credentials.forget(agencyId);
    return { cidrs: registered(state).ipAllowlist };
  }
}

function registered(state: AgencyState): RegisteredAgency {
  if (!state.registered) throw new Error('the agency decider accepted a command for an unregistered agency');
  return state;
}
