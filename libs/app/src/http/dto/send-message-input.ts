import type { SendMessageInput } from '../../write/use-cases/send-message';
import type { SendMessageDto } from './agency.dto';

/** A checked POST /v1/agency/messages body (or bulk item) as the send use case's input. */
export function sendMessageInput(body: SendMessageDto): SendMessageInput {
  return {
    hetu: body.recipient?.hetu,
    kind: body.kind,
    delivery: body.delivery,
    subject: body.subject,
    body: body.body,
    attachments: body.attachments ?? [],
    replyAllowed: body.replyAllowed ?? false,
    inReplyTo: body.inReplyTo,
    externalId: body.externalId,
    appealPeriodDays: body.appealPeriodDays,
    publishAt: body.publishAt,
    replyBy: body.replyBy,
    confidential: body.confidential,
    notification:
      body.notification === undefined
        ? undefined
        : {
            reminders: body.notification.reminders,
            ...(body.notification.text === undefined ? {} : { text: languagesGiven(body.notification.text) }),
          },
  };
}

/** Only the languages given (the DTO instance may carry undefined members). */
function languagesGiven(text: { fi?: string; sv?: string; en?: string }): { fi?: string; sv?: string; en?: string } {
  return Object.fromEntries(Object.entries({ fi: text.fi, sv: text.sv, en: text.en }).filter(([, value]) => value !== undefined));
}
