import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { ACTS_ON_BEHALF } from '@asiointitili/domain';
import { FEED_ITEM_TYPES } from '../../read/projections/agency-feed.projection';
import { APPLICATION_STATUSES } from '../../two-way/application-status';
import { NotificationDto } from '../dto/agency.dto';
import { ProblemSchema } from './problem.schema';

/**
 * The bodies of successful answers, for the OpenAPI document only (controllers return their own
 * view types; the end-to-end suites validate every answer they receive against these schemas, so
 * the two cannot drift apart).
 */

const TIME = { format: 'date-time', example: '2026-03-02T08:15:00.000Z' } as const;
const DAY = { format: 'date', example: '2026-03-09' } as const;
const FREE_FORM = { type: 'object', additionalProperties: true } as const;
const CURSOR = { type: String, nullable: true, description: 'Pass as `cursor` for the next page; null on the last page.' } as const;

@ApiSchema({ name: 'CreatedId' })
export class CreatedIdSchema {
  @ApiProperty({ example: 'm-7QdV0Jx1bVv3lZq9' }) readonly id!: string;
}

@ApiSchema({ name: 'Attachment', description: 'An attachment of a message, reply or application.' })
export class AttachmentSchema {
  @ApiProperty() readonly id!: string;
  @ApiProperty({ example: 'paatos.pdf' }) readonly name!: string;
  @ApiProperty({ example: 'application/pdf' }) readonly contentType!: string;
  @ApiProperty({ type: 'integer', minimum: 0 }) readonly size!: number;
  @ApiProperty({ description: 'SHA-256 of the content, lower-case hex', pattern: '^[0-9a-f]{64}$' }) readonly sha256!: string;
  @ApiProperty({ description: 'Where to download it: GET /v1/attachments/{id}', example: '/v1/attachments/att_0123456789' }) readonly url!: string;
}

@ApiSchema({ name: 'UploadedAttachment' })
export class UploadedAttachmentSchema {
  @ApiProperty({ description: 'Name it in `attachments` of a message, reply or application.' }) readonly id!: string;
  @ApiProperty({ description: 'The sanitised file name' }) readonly name!: string;
  @ApiProperty() readonly contentType!: string;
  @ApiProperty({ type: 'integer', minimum: 0 }) readonly size!: number;
  @ApiProperty({ description: 'SHA-256 of the content, lower-case hex', pattern: '^[0-9a-f]{64}$' }) readonly sha256!: string;
}

// ---------------------------------------------------------------- citizen

@ApiSchema({ name: 'Consent' })
export class ConsentSchema {
  @ApiProperty({ example: 'kela' }) readonly agencyId!: string;
  @ApiProperty(TIME) readonly grantedAt!: string;
}

@ApiSchema({ name: 'Account', description: 'The citizen\'s own account; contact details are shown to their owner only.' })
export class AccountSchema {
  @ApiProperty({ enum: ['open', 'closed'] }) readonly status!: string;
  @ApiPropertyOptional({ enum: ['fi', 'sv', 'en'] }) readonly language?: string;
  @ApiPropertyOptional() readonly email?: string;
  @ApiPropertyOptional() readonly phone?: string;
  @ApiPropertyOptional({ ...TIME, description: 'When the contact details were last erased, if ever.' }) readonly personalDataErasedAt?: string;
  @ApiPropertyOptional({ ...TIME, description: 'Paper delivery chosen until then (digital by default).' }) readonly paperUntil?: string;
  @ApiProperty({ type: [ConsentSchema] }) readonly consents!: ConsentSchema[];
}

@ApiSchema({ name: 'InboxItem' })
export class InboxItemSchema {
  @ApiProperty() readonly id!: string;
  @ApiProperty() readonly agencyId!: string;
  @ApiProperty({ enum: ['decision', 'notice', 'information-request', 'general'] }) readonly kind!: string;
  @ApiProperty({ enum: ['ordinary', 'registered'] }) readonly delivery!: string;
  @ApiProperty() readonly subject!: string;
  @ApiProperty({ enum: ['unread', 'read', 'acknowledged', 'paper'] }) readonly state!: string;
  @ApiProperty(TIME) readonly sentAt!: string;
  @ApiPropertyOptional({ ...DAY, description: 'The legal day of deemed service (ordinary delivery: the 7th day).' }) readonly deemedServedOn?: string;
  @ApiPropertyOptional(TIME) readonly deemedServedAt?: string;
  @ApiPropertyOptional(TIME) readonly acknowledgedAt?: string;
  @ApiProperty() readonly acknowledgementRequired!: boolean;
  @ApiPropertyOptional({ ...TIME, description: 'Registered, still to be acknowledged: possible until this instant.' }) readonly acknowledgeBy?: string;
  @ApiPropertyOptional({ ...DAY, description: 'Once served, when the agency gave an appeal period: its last day (Helsinki date).' }) readonly appealEndsOn?: string;
  @ApiPropertyOptional({ ...DAY, description: 'The Helsinki date by which the sender asks for a reply.' }) readonly replyBy?: string;
}

@ApiSchema({ name: 'InboxPage' })
export class InboxPageSchema {
  @ApiProperty({ type: [InboxItemSchema] }) readonly items!: InboxItemSchema[];
  @ApiProperty(CURSOR) readonly next!: string | null;
}

@ApiSchema({ name: 'CitizenMessage', description: 'A message as its recipient opens it; a registered message\'s content is null until acknowledged.' })
export class CitizenMessageSchema extends InboxItemSchema {
  @ApiProperty() readonly replyAllowed!: boolean;
  @ApiPropertyOptional() readonly inReplyTo?: string;
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 365, description: 'The appeal period\'s length, when the agency gave one.' }) readonly appealPeriodDays?: number;
  @ApiProperty({ description: 'For the person alone: never shown to someone acting on their behalf.' }) readonly confidential!: boolean;
  @ApiProperty({ type: String, nullable: true }) readonly body!: string | null;
  @ApiProperty({ type: [AttachmentSchema], nullable: true }) readonly attachments!: AttachmentSchema[] | null;
}

@ApiSchema({ name: 'Acknowledgement' })
export class AcknowledgementSchema {
  @ApiProperty({ ...TIME, description: 'The moment of service: a repeat answers the first time.' }) readonly acknowledgedAt!: string;
}

// ---------------------------------------------------------------- agency

@ApiSchema({ name: 'RecipientCheck' })
export class RecipientCheckSchema {
  @ApiProperty({ description: 'true: a message now would be delivered electronically; false: on paper.' }) readonly electronic!: boolean;
}

@ApiSchema({ name: 'RecipientsCheck' })
export class RecipientsCheckSchema {
  @ApiProperty({ type: [String], description: 'The henkilötunnukset that would be delivered electronically.' }) readonly electronic!: string[];
  @ApiProperty({ type: [String], description: 'The entries that are not valid henkilötunnukset.' }) readonly invalid!: string[];
}

@ApiSchema({ name: 'SendResult' })
export class SendResultSchema {
  @ApiProperty() readonly id!: string;
  @ApiProperty({ enum: ['electronic', 'paper'] }) readonly route!: string;
  @ApiProperty(TIME) readonly sentAt!: string;
  @ApiPropertyOptional(DAY) readonly deemedServedOn?: string;
  @ApiPropertyOptional({ ...TIME, description: 'Registered delivery: acknowledge before this moment, or the message goes to paper.' }) readonly acknowledgeBy?: string;
  @ApiPropertyOptional({ ...TIME, description: 'Scheduled: when the message reaches the recipient.' }) readonly publishAt?: string;
}

@ApiSchema({ name: 'CancelledMessage' })
export class CancelledMessageSchema {
  @ApiProperty() readonly id!: string;
  @ApiProperty({ ...TIME, description: 'The first cancellation (a repeat answers the same).' }) readonly cancelledAt!: string;
}

@ApiSchema({ name: 'ActingFor', description: 'The step was taken on behalf of the recipient (13/2003 §18) by the actor, under this mandate.' })
export class ActingForSchema {
  @ApiProperty({ example: 'md-7QdV0Jx1bVv3lZq9' }) readonly mandateId!: string;
  @ApiProperty({ enum: ['guardian', 'mandate'] }) readonly relation!: string;
}

@ApiSchema({ name: 'TrailActor', description: 'Who took the step; with `actingFor`, an agent or guardian acting for the recipient.' })
export class TrailActorSchema {
  @ApiProperty({ example: 'citizen' }) readonly type!: string;
  @ApiPropertyOptional({ example: 'bank' }) readonly method?: string;
  @ApiPropertyOptional({ example: 'high' }) readonly assurance?: string;
  @ApiPropertyOptional({ type: ActingForSchema }) readonly actingFor?: ActingForSchema;
}

@ApiSchema({ name: 'TrailStep', description: 'One event of a message\'s life, without content.' })
export class TrailStepSchema {
  @ApiProperty({ example: 'MessageSent' }) readonly type!: string;
  @ApiProperty(TIME) readonly at!: string;
  @ApiProperty({ description: 'Revision in the message stream (decimal string)' }) readonly revision!: string;
  @ApiProperty({ description: 'Position in the whole log (decimal string)' }) readonly position!: string;
  @ApiProperty() readonly eventId!: string;
  @ApiProperty({ description: 'The event\'s hash in the stream\'s chain' }) readonly hash!: string;
  @ApiProperty({ type: TrailActorSchema }) readonly actor!: TrailActorSchema;
  @ApiProperty({ type: [String], description: 'ETSI EN 319 522 evidence this step amounts to' }) readonly evidence!: string[];
  @ApiProperty(FREE_FORM) readonly detail!: Record<string, unknown>;
}

@ApiSchema({ name: 'AcknowledgementMethod' })
export class AcknowledgementMethodSchema {
  @ApiProperty({ example: 'bank' }) readonly method!: string;
  @ApiProperty({ example: 'high' }) readonly assurance!: string;
}

@ApiSchema({ name: 'Reply' })
export class ReplySchema {
  @ApiProperty() readonly id!: string;
  @ApiProperty(TIME) readonly sentAt!: string;
  @ApiProperty() readonly body!: string;
  @ApiProperty({ type: [AttachmentSchema] }) readonly attachments!: AttachmentSchema[];
}

@ApiSchema({ name: 'AgencyMessage', description: 'A sent message as its agency sees it (the list leaves `trail` empty).' })
export class AgencyMessageSchema {
  @ApiProperty() readonly id!: string;
  @ApiPropertyOptional() readonly externalId?: string;
  @ApiProperty({ enum: ['decision', 'notice', 'information-request', 'general'] }) readonly kind!: string;
  @ApiProperty({ enum: ['ordinary', 'registered'] }) readonly delivery!: string;
  @ApiProperty({ enum: ['electronic', 'paper'] }) readonly route!: string;
  @ApiProperty({ enum: ['scheduled', 'cancelled', 'sent', 'read', 'acknowledged', 'deemed-served', 'paper'] }) readonly state!: string;
  @ApiProperty(TIME) readonly sentAt!: string;
  @ApiPropertyOptional({ ...TIME, description: 'Scheduled publishing: when the message reaches (reached) the recipient.' }) readonly publishAt?: string;
  @ApiPropertyOptional(TIME) readonly publishedAt?: string;
  @ApiPropertyOptional({ ...DAY, description: 'The Helsinki date by which a reply was requested.' }) readonly replyBy?: string;
  @ApiPropertyOptional({ ...TIME, description: 'When replyBy passed unanswered.' }) readonly replyOverdueAt?: string;
  @ApiPropertyOptional({ ...TIME, description: 'Cancelled before its publishAt.' }) readonly cancelledAt?: string;
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 365 }) readonly appealPeriodDays?: number;
  @ApiProperty({ description: 'For the person alone, not for those acting on their behalf.' }) readonly confidential!: boolean;
  @ApiPropertyOptional({ type: NotificationDto, description: 'The notice settings given at sending.' }) readonly notification?: NotificationDto;
  @ApiPropertyOptional({ ...DAY, description: 'Once served: the last day of the appeal period (Helsinki date).' }) readonly appealEndsOn?: string;
  @ApiPropertyOptional(DAY) readonly deemedServedOn?: string;
  @ApiPropertyOptional(TIME) readonly deemedServedAt?: string;
  @ApiPropertyOptional(TIME) readonly acknowledgeBy?: string;
  @ApiPropertyOptional(TIME) readonly acknowledgedAt?: string;
  @ApiPropertyOptional({ type: AcknowledgementMethodSchema }) readonly acknowledgement?: AcknowledgementMethodSchema;
  @ApiPropertyOptional(TIME) readonly readAt?: string;
  @ApiPropertyOptional() readonly paperReason?: string;
  @ApiPropertyOptional(TIME) readonly paperFallbackAt?: string;
  @ApiPropertyOptional() readonly printJobId?: string;
  @ApiProperty({ description: 'SHA-256 of subject and body, hex' }) readonly contentSha256!: string;
  @ApiProperty({ type: [TrailStepSchema] }) readonly trail!: TrailStepSchema[];
  @ApiPropertyOptional() readonly inReplyTo?: string;
  @ApiProperty({ type: [AttachmentSchema] }) readonly attachments!: AttachmentSchema[];
  @ApiProperty({ type: [ReplySchema], description: 'The recipient\'s replies, oldest first' }) readonly replies!: ReplySchema[];
}

@ApiSchema({ name: 'AgencyMessagePage' })
export class AgencyMessagePageSchema {
  @ApiProperty({ type: [AgencyMessageSchema] }) readonly items!: AgencyMessageSchema[];
  @ApiProperty(CURSOR) readonly next!: string | null;
}

@ApiSchema({ name: 'FeedItem', description: 'One event of the agency\'s feed, in log order.' })
export class FeedItemSchema {
  @ApiProperty({ description: 'Resume the feed after this item with ?cursor=' }) readonly cursor!: string;
  @ApiProperty({
    enum: FEED_ITEM_TYPES,
    enumName: 'FeedItemType',
    example: 'read',
    description:
      'What happened. `acted-on-behalf`: someone acting for the recipient under a mandate (13/2003 §18) did the act named by `act`; ' +
      'it follows the item of that act (read, acknowledged, reply, application), which carries `actingFor` too.',
  })
  readonly type!: string;
  @ApiPropertyOptional() readonly messageId?: string;
  @ApiPropertyOptional() readonly applicationId?: string;
  @ApiPropertyOptional() readonly replyId?: string;
  @ApiPropertyOptional() readonly externalId?: string;
  @ApiProperty(TIME) readonly at!: string;
  @ApiPropertyOptional({ type: ActingForSchema, description: 'The act was done on the recipient\'s behalf (13/2003 §18), by the holder of this mandate.' })
  readonly actingFor?: ActingForSchema;
  @ApiPropertyOptional({ enum: ACTS_ON_BEHALF, enumName: 'ActOnBehalf', description: '`acted-on-behalf` items: the act done for the recipient.' })
  readonly act?: string;
}

@ApiSchema({ name: 'FeedPage' })
export class FeedPageSchema {
  @ApiProperty({ type: [FeedItemSchema] }) readonly items!: FeedItemSchema[];
  @ApiProperty(CURSOR) readonly next!: string | null;
}

@ApiSchema({ name: 'BulkItemResult' })
export class BulkItemResultSchema {
  @ApiProperty({ type: 'integer', minimum: 0, description: 'The item\'s place in the request' }) readonly index!: number;
  @ApiPropertyOptional() readonly id?: string;
  @ApiPropertyOptional({ enum: ['electronic', 'paper'] }) readonly route?: string;
  @ApiProperty({ type: 'integer', description: 'What a single send would have answered: 201 or the problem\'s status' }) readonly status!: number;
  @ApiPropertyOptional({ type: ProblemSchema }) readonly problem?: ProblemSchema;
}

@ApiSchema({ name: 'BulkResults' })
export class BulkResultsSchema {
  @ApiProperty({ type: [BulkItemResultSchema] }) readonly results!: BulkItemResultSchema[];
}

// ---------------------------------------------------------------- two-way

@ApiSchema({ name: 'ApplicationSummary' })
export class ApplicationSummarySchema {
  @ApiProperty() readonly id!: string;
  @ApiProperty() readonly agencyId!: string;
  @ApiProperty() readonly subject!: string;
  @ApiProperty(TIME) readonly submittedAt!: string;
  @ApiProperty({ enum: APPLICATION_STATUSES }) readonly status!: string;
  @ApiProperty(TIME) readonly statusAt!: string;
  @ApiProperty({ type: 'integer', minimum: 0 }) readonly attachmentCount!: number;
}

@ApiSchema({ name: 'ApplicationPage' })
export class ApplicationPageSchema {
  @ApiProperty({ type: [ApplicationSummarySchema] }) readonly items!: ApplicationSummarySchema[];
  @ApiProperty(CURSOR) readonly next!: string | null;
}

@ApiSchema({ name: 'Application' })
export class ApplicationSchema {
  @ApiProperty() readonly id!: string;
  @ApiProperty() readonly agencyId!: string;
  @ApiProperty() readonly subject!: string;
  @ApiProperty(TIME) readonly submittedAt!: string;
  @ApiProperty({ enum: APPLICATION_STATUSES }) readonly status!: string;
  @ApiProperty(TIME) readonly statusAt!: string;
  @ApiProperty() readonly body!: string;
  @ApiProperty({ type: [AttachmentSchema] }) readonly attachments!: AttachmentSchema[];
  @ApiProperty({ description: 'Follow the answers at GET /v1/{citizen|agency}/threads/{threadId}' }) readonly threadId!: string;
}

@ApiSchema({
  name: 'ThreadEntry',
  description:
    'An application, an agency message or a citizen reply (by `type`). A message\'s body and attachments are null for the citizen until opened (and, if registered, acknowledged).',
})
export class ThreadEntrySchema {
  @ApiProperty({ enum: ['application', 'message', 'reply'] }) readonly type!: string;
  @ApiProperty() readonly id!: string;
  @ApiProperty(TIME) readonly at!: string;
  @ApiPropertyOptional({ description: 'application, message' }) readonly subject?: string;
  @ApiProperty({ type: String, nullable: true }) readonly body!: string | null;
  @ApiProperty({ type: [AttachmentSchema], nullable: true }) readonly attachments!: AttachmentSchema[] | null;
  @ApiPropertyOptional({ description: 'application' }) readonly status?: string;
  @ApiPropertyOptional({ description: 'message' }) readonly kind?: string;
  @ApiPropertyOptional({ description: 'message' }) readonly delivery?: string;
  @ApiPropertyOptional({ description: 'message' }) readonly state?: string;
  @ApiPropertyOptional({ description: 'message' }) readonly replyAllowed?: boolean;
  @ApiPropertyOptional({ description: 'message' }) readonly inReplyTo?: string;
  @ApiPropertyOptional({ description: 'message (agency side)' }) readonly externalId?: string;
  @ApiPropertyOptional({ description: 'reply: the message it answers' }) readonly messageId?: string;
}

@ApiSchema({ name: 'Thread' })
export class ThreadSchema {
  @ApiProperty({ description: 'The root: the application, or the first message' }) readonly id!: string;
  @ApiProperty() readonly agencyId!: string;
  @ApiProperty({ type: [ThreadEntrySchema] }) readonly items!: ThreadEntrySchema[];
  @ApiProperty(CURSOR) readonly next!: string | null;
}

// ---------------------------------------------------------------- admin

@ApiSchema({ name: 'IssuedCredential' })
export class IssuedCredentialSchema {
  @ApiProperty({ example: 'kela.AAAAAAAAAAAAAAAAAAAAAA' }) readonly clientId!: string;
  @ApiProperty({ description: 'Shown in this answer only; the service keeps its hash.' }) readonly clientSecret!: string;
  @ApiProperty(TIME) readonly issuedAt!: string;
}

@ApiSchema({ name: 'Credential' })
export class CredentialSchema {
  @ApiProperty() readonly clientId!: string;
  @ApiProperty(TIME) readonly issuedAt!: string;
  @ApiPropertyOptional(TIME) readonly revokedAt?: string;
  @ApiProperty() readonly active!: boolean;
}

@ApiSchema({ name: 'Credentials' })
export class CredentialsSchema {
  @ApiProperty({ type: [CredentialSchema] }) readonly items!: CredentialSchema[];
  @ApiProperty({ type: [String], example: ['192.0.2.0/24'] }) readonly ipAllowlist!: string[];
}

@ApiSchema({ name: 'RevokedCredential' })
export class RevokedCredentialSchema {
  @ApiProperty() readonly clientId!: string;
  @ApiProperty(TIME) readonly revokedAt!: string;
}

@ApiSchema({ name: 'IpAllowlist' })
export class IpAllowlistSchema {
  @ApiProperty({ type: [String], example: ['192.0.2.0/24'] }) readonly cidrs!: string[];
}

@ApiSchema({ name: 'TokenResponse', description: 'RFC 6749 §5.1' })
export class TokenResponseSchema {
  @ApiProperty() readonly access_token!: string;
  @ApiProperty({ enum: ['Bearer'] }) readonly token_type!: string;
  @ApiProperty({ type: 'integer', description: 'Seconds until the token expires' }) readonly expires_in!: number;
}

// ---------------------------------------------------------------- audit, keys, operations

@ApiSchema({ name: 'ChainFailure' })
export class ChainFailureSchema {
  @ApiProperty() readonly stream!: string;
  @ApiProperty() readonly revision!: string;
  @ApiProperty({ enum: ['revision-gap', 'prev-hash-mismatch', 'hash-mismatch'] }) readonly reason!: string;
  @ApiProperty() readonly detail!: string;
}

@ApiSchema({ name: 'VerificationReport' })
export class VerificationReportSchema {
  @ApiProperty({ description: 'true when every hash chain verifies' }) readonly ok!: boolean;
  @ApiProperty({ type: 'integer', minimum: 0 }) readonly streams!: number;
  @ApiProperty({ type: 'integer', minimum: 0 }) readonly events!: number;
  @ApiProperty({ type: [ChainFailureSchema], description: 'The first break of each broken stream' }) readonly failures!: ChainFailureSchema[];
}

@ApiSchema({ name: 'RecordedEvent', description: 'An event as stored in the log, with its metadata and hash-chain links.' })
export class RecordedEventSchema {
  @ApiProperty({ description: 'Decimal string' }) readonly revision!: string;
  @ApiProperty({ description: 'Decimal string' }) readonly position!: string;
  @ApiProperty() readonly id!: string;
  @ApiProperty() readonly type!: string;
  @ApiProperty(FREE_FORM) readonly data!: Record<string, unknown>;
  @ApiProperty(FREE_FORM) readonly metadata!: Record<string, unknown>;
  @ApiPropertyOptional() readonly hash?: string;
  @ApiPropertyOptional() readonly prevHash?: string;
}

@ApiSchema({ name: 'StreamPage' })
export class StreamPageSchema {
  @ApiProperty({ type: [RecordedEventSchema] }) readonly items!: RecordedEventSchema[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `from` for the next page; null on the last page.' }) readonly next!: string | null;
}

@ApiSchema({ name: 'MessageStates' })
export class MessageStatesSchema {
  @ApiProperty() readonly agency!: string;
  @ApiProperty() readonly citizen!: string;
}

@ApiSchema({ name: 'MessageTrail' })
export class MessageTrailSchema {
  @ApiProperty() readonly id!: string;
  @ApiProperty({ type: MessageStatesSchema, nullable: true }) readonly state!: MessageStatesSchema | null;
  @ApiProperty({ type: [TrailStepSchema] }) readonly trail!: TrailStepSchema[];
  @ApiProperty({ type: [RecordedEventSchema] }) readonly events!: RecordedEventSchema[];
  @ApiProperty({ type: VerificationReportSchema }) readonly chain!: VerificationReportSchema;
}

@ApiSchema({ name: 'ReplayedEvent' })
export class ReplayedEventSchema {
  @ApiProperty() readonly revision!: string;
  @ApiProperty() readonly position!: string;
  @ApiProperty() readonly type!: string;
  @ApiProperty(TIME) readonly occurredAt!: string;
  @ApiProperty(FREE_FORM) readonly data!: Record<string, unknown>;
}

@ApiSchema({ name: 'ReplayStep' })
export class ReplayStepSchema {
  @ApiProperty({ type: ReplayedEventSchema }) readonly event!: ReplayedEventSchema;
  @ApiProperty({ ...FREE_FORM, description: 'The aggregate\'s state after the event, as the domain folds it' }) readonly state!: Record<string, unknown>;
}

@ApiSchema({ name: 'Replay' })
export class ReplaySchema {
  @ApiProperty({ type: [ReplayStepSchema] }) readonly steps!: ReplayStepSchema[];
}

@ApiSchema({ name: 'PublicJwk' })
export class PublicJwkSchema {
  @ApiProperty({ enum: ['OKP'] }) readonly kty!: string;
  @ApiProperty({ enum: ['Ed25519'] }) readonly crv!: string;
  @ApiProperty() readonly x!: string;
  @ApiProperty() readonly kid!: string;
  @ApiProperty({ enum: ['EdDSA'] }) readonly alg!: string;
  @ApiProperty({ enum: ['sig'] }) readonly use!: string;
}

@ApiSchema({ name: 'Jwks', description: 'RFC 7517 key set' })
export class JwksSchema {
  @ApiProperty({ type: [PublicJwkSchema] }) readonly keys!: PublicJwkSchema[];
}

@ApiSchema({ name: 'Health' })
export class HealthSchema {
  @ApiProperty({ enum: ['ok', 'degraded'] }) readonly status!: string;
  @ApiProperty() readonly eventStore!: boolean;
  @ApiProperty() readonly readStore!: boolean;
  @ApiProperty() readonly blobStore!: boolean;
  @ApiProperty({ type: String, nullable: true, description: 'The log\'s last position (decimal string)' }) readonly headPosition!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'How far the read models have read' }) readonly projectionCheckpoint!: string | null;
  @ApiProperty() readonly projectionFailed!: boolean;
}
