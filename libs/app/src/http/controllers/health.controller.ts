import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../../auth';
import { assessReadiness, type ReadinessReport, type ReadinessSources } from '../../health/readiness';
import { LivenessView, ReadinessView } from '../dto/health.dto';
import { ApiProblems } from '../openapi/api-problems.decorator';
import { problem, ProblemException } from '../problem';

/** Nest injection token of what readiness looks at (the runtime's ports, followers, clock and READINESS_MAX_LAG_MS). */
export const READINESS_SOURCES = Symbol('READINESS_SOURCES');

const READY_DESCRIPTION =
  '200 when this process can serve correctly: every port (event store, read store, attachment store) answers, every follower of the log it runs is ' +
  'subscribed or standing by for the active worker, and the read models are no more than READINESS_MAX_LAG_MS behind the log. Otherwise 503 ' +
  'problem+json whose `problems` name what is wrong. A failing store is retried without end; readiness comes back by itself.';

/**
 * Liveness and readiness for load balancers and orchestrators (API.md, "Processes and health").
 * @nestjs/terminus was considered: its indicators would only wrap these same checks, and its 503
 * body is not problem+json, so the checks live in health/readiness.ts and answer here directly.
 */
@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(@Inject(READINESS_SOURCES) private readonly sources: ReadinessSources) {}

  @Public()
  @Get('live')
  @ApiOperation({ summary: 'Liveness: 200 while the process runs (public; no dependency is checked)' })
  @ApiOkResponse({ type: LivenessView })
  live(): LivenessView {
    return { status: 'live' };
  }

  @Public()
  @Get('ready')
  @ApiOperation({ summary: 'Readiness (public)', description: READY_DESCRIPTION })
  @ApiOkResponse({ type: ReadinessView })
  @ApiProblems({ status: 503, description: 'Not ready: a Problem whose `problems` name what is wrong, with the readiness members beside it.' })
  ready(): Promise<ReadinessView> {
    return this.answer();
  }

  @Public()
  @Get()
  @ApiOperation({ summary: 'Readiness, as GET /health/ready (public)', description: READY_DESCRIPTION })
  @ApiOkResponse({ type: ReadinessView })
  @ApiProblems({ status: 503, description: 'Not ready: a Problem whose `problems` name what is wrong, with the readiness members beside it.' })
  health(): Promise<ReadinessView> {
    return this.answer();
  }

  private async answer(): Promise<ReadinessView> {
    const report = await assessReadiness(this.sources);
    const body = view(report);
    if (!report.ready) {
      const { status: _ok, ...members } = body;
      // Retry-After as on every 503 of the API: a probe or a client asks again in a few seconds, and
      // followers retry a failing store with back-off capped at a few seconds.
      throw new ProblemException(problem(503, 'not-ready', report.problems.join('; '), { ...members, problems: report.problems }), { 'Retry-After': '5' });
    }
    return body;
  }
}

function view(report: ReadinessReport): ReadinessView {
  const reachable = (port: string) => report.ports.find((check) => check.port === port)?.reachable === true;
  return {
    status: 'ok',
    eventStore: reachable('event store'),
    readStore: reachable('read store'),
    blobStore: reachable('blob store'),
    headPosition: report.readModels.headPosition,
    projectionCheckpoint: report.readModels.checkpoint,
    readModelLagMs: report.readModels.lagMs,
    maxLagMs: report.readModels.maxLagMs,
    ports: report.ports.map((check) => ({ ...check })),
    followers: report.followers.map((follower) => ({ ...follower })),
  };
}
