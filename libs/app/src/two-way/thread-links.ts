import { Injectable } from '@nestjs/common';
import { applicationDecider, applicationStream, messageDecider, messageStream } from '@asiointitili/domain';
import { RESOURCE_ID_PATTERN } from '../http/controllers/params';
import { ProblemException, problem } from '../http/problem';
import { CommandExecutor } from '../write/command-executor';

/**
 * `inReplyTo` on an agency's message links it into a thread: it must name an application or an
 * earlier message between the same agency and the same citizen. Read from the streams (not a
 * projection), so an answer sent right after an application is never refused as "unknown".
 * Anything else is 422 with the same words, whether the id exists elsewhere or not at all.
 */
@Injectable()
export class ThreadLinks {
  constructor(private readonly executor: CommandExecutor) {}

  async assertLinkable(inReplyTo: string | undefined, agencyId: string, citizenRef: string): Promise<void> {
    if (inReplyTo === undefined) return;
    if (await this.isLinkable(inReplyTo, agencyId, citizenRef)) return;
    throw notLinkable();
  }

  /**
   * The citizen of the thread `inReplyTo` names, when it is an application to, or a message from,
   * this agency: an agency answers an application without knowing the person's henkilötunnus.
   * 422 (the same words as assertLinkable) when there is no such thread.
   */
  async recipientOf(inReplyTo: string | undefined, agencyId: string): Promise<string> {
    const citizenRef = inReplyTo === undefined ? null : await this.citizenOf(inReplyTo, agencyId);
    if (citizenRef === null) throw notLinkable();
    return citizenRef;
  }

  private async isLinkable(id: string, agencyId: string, citizenRef: string): Promise<boolean> {
    return (await this.citizenOf(id, agencyId)) === citizenRef;
  }

  /** The citizen of an application to, or a message from, this agency; null for anything else. */
  private async citizenOf(id: string, agencyId: string): Promise<string | null> {
    if (!RESOURCE_ID_PATTERN.test(id)) return null;
    const message = await this.executor.load(messageStream(id), messageDecider);
    if (message.state.exists) return message.state.message.agencyId === agencyId ? message.state.message.citizenRef : null;
    const application = await this.executor.load(applicationStream(id), applicationDecider);
    return application.state.submitted && application.state.agencyId === agencyId ? application.state.citizenRef : null;
  }
}

const notLinkable = (): ProblemException =>
  new ProblemException(
    problem(422, 'invalid-in-reply-to', 'inReplyTo must name an application or a message between this agency and this recipient.', {
      errors: [{ field: 'inReplyTo', problem: 'no application or message between this agency and this recipient' }],
    }),
  );
