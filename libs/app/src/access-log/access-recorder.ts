import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '@asiointitili/core';
import { accessDecider, accessStream } from '@asiointitili/domain';
import { actorOf, type Principal } from '../auth/principal';
import { CommandExecutor } from '../write/command-executor';
import { requestContext } from '../write/request-context';

export interface AccessRead {
  readonly principal: Extract<Principal, { readonly role: 'auditor' | 'admin' }>;
  /** Method and route pattern, e.g. `GET /v1/audit/streams/:stream`. */
  readonly route: string;
  readonly resource?: string;
  readonly requestId?: string;
}

/** Appends one AccessRecorded to the day's `access-<yyyy-mm-dd>` stream, through the command executor and its hash chain. */
@Injectable()
export class AccessRecorder {
  constructor(private readonly executor: CommandExecutor, @Inject(CLOCK) private readonly clock: Clock) {}

  async record(read: AccessRead): Promise<{ stream: string }> {
    const at = this.clock.now().toISOString();
    const stream = accessStream(at);
    const context = requestContext(actorOf(read.principal), read.requestId);
    await this.executor.execute(
      stream,
      accessDecider,
      {
        type: 'RecordAccess',
        reader: { role: read.principal.role, id: read.principal.subject },
        route: read.route,
        ...(read.resource === undefined ? {} : { resource: read.resource }),
        correlationId: context.correlationId,
        at,
      },
      context,
    );
    return { stream };
  }
}
