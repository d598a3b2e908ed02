import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsString, Matches, MaxLength } from 'class-validator';
import { EVENT_STORE, READ_STORE, type EventStore, type ReadStore } from '@asiointitili/core';
import { messageStream } from '@asiointitili/domain';
import { Roles } from '../../auth';
import { AbsentOrValid } from '../dto/common.dto';
import { ChainVerifier, type VerificationReport } from '../../audit/chain-verifier';
import { parseReplayLimit, replayStream, type ReplayStepView } from '../../audit/stream-replay';
import { Collections, type MessageDoc } from '../../read/projections';
import { ProblemException, notFound, problem } from '../problem';
import { ApiProblems } from '../openapi/api-problems.decorator';
import { MessageTrailSchema, ReplaySchema, StreamPageSchema, VerificationReportSchema } from '../openapi/response.schemas';
import { IdParam } from './params';

const STREAM_PATTERN = /^(agency|account|message|application|access|mandate)-[A-Za-z0-9_-]{1,128}$/;
const MAX_STREAM_PAGE = 1000;

class StreamParam {
  @ApiProperty({ example: 'message-m-0b6e…', description: 'A product stream: agency-, account-, message-, application- or access-<id>' })
  @IsString()
  @Matches(STREAM_PATTERN, { message: 'stream must be a product stream name such as message-<id>' })
  readonly stream!: string;
}

class StreamQuery {
  @ApiPropertyOptional({ description: 'First revision to return (a page holds at most 1000 events)' })
  @AbsentOrValid()
  @Matches(/^\d{1,19}$/, { message: 'from must be a revision number' })
  readonly from?: string;
}

class VerifyQuery {
  @ApiPropertyOptional({ description: 'Verify one stream; omitted: every stream' })
  @AbsentOrValid()
  @Matches(STREAM_PATTERN, { message: 'stream must be a product stream name such as message-<id>' })
  readonly stream?: string;
}

class ReplayQuery {
  @ApiPropertyOptional({ description: 'An ISO 8601 time (events up to it) or a revision (inclusive)' })
  @AbsentOrValid()
  @IsString()
  @MaxLength(64)
  readonly until?: string;
}

/** Raw log access for auditors: read-only by construction (no route here writes). */
@ApiTags('audit')
@ApiBearerAuth()
@Roles('auditor')
@Controller('v1/audit')
export class AuditController {
  private readonly verifier: ChainVerifier;

  constructor(@Inject(EVENT_STORE) private readonly events: EventStore, @Inject(READ_STORE) private readonly store: ReadStore) {
    this.verifier = new ChainVerifier(events);
  }

  @Get('streams/:stream')
  @ApiOperation({ summary: 'Read one stream of the raw log, 1000 events a page' })
  @ApiOkResponse({ type: StreamPageSchema })
  @ApiProblems({ status: 404, description: 'No such stream.' })
  async stream(@Param() { stream }: StreamParam, @Query() query: StreamQuery) {
    const events = await this.events.readStream(stream, { fromRevision: query.from ? BigInt(query.from) : 0n, maxCount: MAX_STREAM_PAGE });
    if (events.length === 0 && !query.from) throw notFound('stream');
    const items = events.map((e) => ({
      revision: e.revision.toString(),
      position: e.position.toString(),
      id: e.id,
      type: e.type,
      data: e.data,
      metadata: e.metadata,
      hash: e.metadata.hash,
      prevHash: e.metadata.prevHash,
    }));
    const last = events[events.length - 1];
    return { items, next: events.length === MAX_STREAM_PAGE && last ? (last.revision + 1n).toString() : null };
  }

  @Get('messages/:id/trail')
  @ApiOperation({ summary: 'A message\'s trail, raw events and chain check' })
  @ApiOkResponse({ type: MessageTrailSchema })
  @ApiProblems({ status: 404, description: 'No such message.' })
  async trail(@Param() { id }: IdParam) {
    const doc = await this.store.get<MessageDoc>(Collections.messages, id);
    const events = await this.events.readStream(messageStream(id));
    if (events.length === 0) throw notFound('message');
    return {
      id,
      state: doc ? { agency: doc.agencyState, citizen: doc.citizenState } : null,
      trail: doc?.trail ?? [],
      events: events.map((e) => ({ revision: e.revision.toString(), position: e.position.toString(), id: e.id, type: e.type, data: e.data, metadata: e.metadata })),
      chain: await this.verifier.verifyStream(messageStream(id)),
    };
  }

  @Get('verify')
  @ApiOperation({ summary: 'Recompute the hash chains of one stream or the whole log' })
  @ApiOkResponse({ type: VerificationReportSchema })
  @ApiProblems({ status: 404, description: '`stream` names a stream that does not exist.' })
  async verify(@Query() query: VerifyQuery): Promise<VerificationReport> {
    if (!query.stream) return this.verifier.verifyAll();
    const report = await this.verifier.verifyStream(query.stream);
    // "Intact, 0 streams" would read as a clean bill for a stream that is not there (or was removed whole).
    if (report.streams === 0) throw notFound('stream');
    return report;
  }

  @Get('streams/:stream/replay')
  @ApiOperation({ summary: 'Replay a stream: the state after each event, up to a time or revision' })
  @ApiOkResponse({ type: ReplaySchema })
  @ApiProblems({ status: 404, description: 'No such stream.' })
  async replay(@Param() { stream }: StreamParam, @Query() query: ReplayQuery): Promise<{ steps: ReplayStepView[] }> {
    const limit = parseReplayLimit(query.until);
    if (!limit) {
      throw new ProblemException(problem(400, 'bad-request', 'until must be an ISO 8601 time or a revision number', { errors: [{ field: 'until', problem: 'invalid' }] }));
    }
    const steps = await replayStream(this.events, stream, limit);
    if (!steps) throw notFound('stream');
    return { steps };
  }
}
