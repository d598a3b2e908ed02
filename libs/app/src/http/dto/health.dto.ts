import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { FOLLOWER_STATES, type FollowerState } from '../../followers/follower-status';

export class LivenessView {
  @ApiProperty({ enum: ['live'], description: 'The process runs and answers HTTP; no dependency is checked.' })
  status!: 'live';
}

export class PoisonEventView {
  @ApiProperty({ description: 'Global position of the event that fails every time (decimal string).' })
  position!: string;
  @ApiProperty()
  type!: string;
  @ApiProperty()
  stream!: string;
  @ApiProperty()
  eventId!: string;
  @ApiProperty({ description: 'The error it fails with.' })
  error!: string;
}

export class FollowerView {
  @ApiProperty({ description: 'The follower: `read-models`, a process manager (`pm:…`), `deadline-manager`, `attachment-sweeper`, …' })
  name!: string;
  @ApiProperty({ enum: FOLLOWER_STATES, description: 'running and standby are healthy; retrying waits with back-off for a store; poisoned and failed are stopped.' })
  state!: FollowerState;
  @ApiProperty({ type: String, nullable: true, description: 'Last global position handled (decimal string).' })
  position!: string | null;
  @ApiProperty({ description: 'Failed attempts since the last success.' })
  consecutiveFailures!: number;
  @ApiProperty({ type: String, nullable: true })
  lastError!: string | null;
  @ApiProperty({ type: PoisonEventView, nullable: true })
  poison!: PoisonEventView | null;
}

export class PortView {
  @ApiProperty({ enum: ['event store', 'read store', 'blob store'] })
  port!: string;
  @ApiProperty()
  reachable!: boolean;
  @ApiPropertyOptional({ description: 'Why not, when not.' })
  error?: string;
}

/** The body of GET /health/ready (and /health) when ready; the same members ride on the 503 problem. */
export class ReadinessView {
  @ApiProperty({ enum: ['ok'] })
  status!: 'ok';
  @ApiProperty({ description: 'The event store answers a ping.' })
  eventStore!: boolean;
  @ApiProperty({ description: 'The read-model store answers a ping.' })
  readStore!: boolean;
  @ApiProperty({ description: 'The attachment store answers a ping.' })
  blobStore!: boolean;
  @ApiProperty({ type: String, nullable: true, description: 'Global position of the newest event (decimal string).' })
  headPosition!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Stored checkpoint of the read models (decimal string).' })
  projectionCheckpoint!: string | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Age of the oldest event the read models do not include yet, in ms (0: caught up).' })
  readModelLagMs!: number | null;
  @ApiProperty({ description: 'READINESS_MAX_LAG_MS of this process.' })
  maxLagMs!: number;
  @ApiProperty({ type: [PortView] })
  ports!: PortView[];
  @ApiProperty({ type: [FollowerView], description: 'The followers of the log this process runs (none on an API with WORKER=off).' })
  followers!: FollowerView[];
}
