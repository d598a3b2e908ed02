import { AttachmentAccess } from '../attachments/attachment-access';
import { ATTACHMENT_CLAIMS } from '../attachments/attachment-claims';
import { AttachmentUploader } from '../attachments/attachment-uploader';
import { AttachmentsController } from '../attachments/attachments.controller';
import { ReadStoreAttachmentClaims } from '../attachments/read-store-attachment-claims';
import type { Feature } from '../feature';
import { AgencyTwoWayController } from './agency-two-way.controller';
import { ApplicationsQuery } from './applications.query';
import { CitizenTwoWayController } from './citizen-two-way.controller';
import { SendReplyHandler } from './send-reply';
import { SubmitApplicationHandler } from './submit-application';
import { ThreadLinks } from './thread-links';
import { ThreadsQuery } from './threads.query';

/** HTTP slice for attachments, applications and replies. */
export const TWO_WAY_FEATURE: Feature = {
  controllers: [AttachmentsController, CitizenTwoWayController, AgencyTwoWayController],
  providers: [
    ReadStoreAttachmentClaims,
    { provide: ATTACHMENT_CLAIMS, useExisting: ReadStoreAttachmentClaims },
    AttachmentUploader,
    AttachmentAccess,
    ThreadLinks,
    ApplicationsQuery,
    ThreadsQuery,
    SubmitApplicationHandler,
    SendReplyHandler,
  ],
};
