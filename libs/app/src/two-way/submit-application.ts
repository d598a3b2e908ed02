import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock } from '@asiointitili/core';
import { applicationDecider, applicationStream } from '@asiointitili/domain';
import { ATTACHMENT_CLAIMS, type AttachmentClaims } from '../attachments/attachment-claims';
import { ownerKey } from '../attachments/attachment-records';
import { usedByApplication } from '../attachments/attachment-use';
import { actorOf, type CitizenPrincipal } from '../auth/principal';
import { ProblemException, problem } from '../http/problem';
import { AgencyDirectory } from '../write/agency-directory';
import { CommandExecutor } from '../write/command-executor';
import { requestContext } from '../write/request-context';

export interface SubmitApplicationInput {
  readonly agencyId: string;
  readonly subject: string;
  readonly body: string;
  readonly attachments: readonly string[];
}

export class SubmitApplicationCommand {
  constructor(readonly principal: CitizenPrincipal, readonly input: SubmitApplicationInput, readonly requestId?: string) {}
}

export interface SubmitApplicationResult {
  readonly id: string;
  readonly position: bigint;
}

/** A citizen sends an agency an application (a form, a scanned letter): stream `application-<id>`. */
@CommandHandler(SubmitApplicationCommand)
export class SubmitApplicationHandler implements ICommandHandler<SubmitApplicationCommand, SubmitApplicationResult> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly agencies: AgencyDirectory,
    @Inject(ATTACHMENT_CLAIMS) private readonly attachments: AttachmentClaims,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ principal, input, requestId }: SubmitApplicationCommand): Promise<SubmitApplicationResult> {
    // Before the attachments are looked at: an unknown agency is the answer whatever they are.
    if (!(await this.agencies.isRegistered(input.agencyId))) {
      throw new ProblemException(problem(404, 'agency-not-found', 'No such agency.', { errors: [{ field: 'agencyId', problem: 'not a registered agency' }] }));
    }
    const applicationId = `a-${randomUUID()}`;
    const owner = ownerKey(principal);
    const attachments = await this.attachments.claim(owner, input.attachments);
    const execution = await this.executor.execute(
      applicationStream(applicationId),
      applicationDecider,
      {
        type: 'SubmitApplication',
        applicationId,
        citizenRef: principal.citizenRef,
        agencyId: input.agencyId,
        agencyRegistered: true,
        subject: input.subject,
        body: input.body,
        attachments,
        onBehalf: principal.onBehalf,
        at: this.clock.now().toISOString(),
      },
      requestContext(actorOf(principal), requestId),
    );
    await this.attachments.confirm(owner, input.attachments, usedByApplication(applicationId));
    return { id: applicationId, position: execution.position! };
  }
}
