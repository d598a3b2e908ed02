import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, Length, Matches } from 'class-validator';
import { WEBHOOK_URL_MAX_LENGTH } from './webhook-url-policy';

export class CreateWebhookDto {
  @ApiProperty({
    example: 'https://integraatio.kela.example/asiointitili/webhook',
    maxLength: WEBHOOK_URL_MAX_LENGTH,
    description: 'https URL that receives every feed item as a signed POST (plain http only to a loopback address outside production).',
  })
  @IsString()
  @Length(1, WEBHOOK_URL_MAX_LENGTH)
  readonly url!: string;
}

export class WebhookIdParam {
  @ApiProperty({ pattern: '^wh_[A-Za-z0-9_-]{16,64}$', description: 'The webhook id' })
  @IsString()
  @Matches(/^wh_[A-Za-z0-9_-]{16,64}$/, { message: 'id is not a webhook id' })
  readonly id!: string;
}

export class CreatedWebhookView {
  @ApiProperty({ example: 'wh_3q2Yk0mN8xVbQ1rT5uWz7A' }) readonly id!: string;
  @ApiProperty() readonly url!: string;
  @ApiProperty({ description: 'Standard Webhooks signing secret (`whsec_` + base64). Shown in this answer only.', example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' })
  readonly secret!: string;
  @ApiProperty({ format: 'date-time' }) readonly subscribedAt!: string;
}

export class WebhookFailureView {
  @ApiProperty({ format: 'date-time' }) readonly at!: string;
  @ApiPropertyOptional({ description: 'HTTP status the receiver answered; absent for a timeout or a network error.' }) readonly status?: number;
  @ApiProperty({ example: 'answered 503' }) readonly reason!: string;
  @ApiProperty({ description: 'Cursor of the feed item that was not taken (it is retried first).' }) readonly feedCursor!: string;
}

export class WebhookView {
  @ApiProperty() readonly id!: string;
  @ApiProperty() readonly url!: string;
  @ApiProperty({ enum: ['delivering', 'retrying'], description: '`retrying`: the last attempt failed; the same item is tried again at `nextAttemptAt`.' })
  readonly state!: 'delivering' | 'retrying';
  @ApiProperty({ format: 'date-time' }) readonly subscribedAt!: string;
  @ApiProperty({ description: 'Feed items the receiver has taken.' }) readonly delivered!: number;
  @ApiPropertyOptional({ description: 'Cursor of the last feed item the receiver took.' }) readonly lastDeliveredCursor?: string;
  @ApiPropertyOptional({ format: 'date-time' }) readonly lastDeliveredAt?: string;
  @ApiProperty({ description: 'Failed attempts since the last success.' }) readonly failures!: number;
  @ApiPropertyOptional({ format: 'date-time' }) readonly nextAttemptAt?: string;
  @ApiPropertyOptional({ type: WebhookFailureView }) readonly lastFailure?: WebhookFailureView;
}

export class WebhookListView {
  @ApiProperty({ type: [WebhookView] }) readonly items!: WebhookView[];
}

export class RemovedWebhookView {
  @ApiProperty() readonly id!: string;
  @ApiProperty({ format: 'date-time' }) readonly removedAt!: string;
}
