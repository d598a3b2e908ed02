import { Controller, Get, HttpException, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { BLOB_STORE, EVENT_STORE, READ_STORE, type BlobStore, type EventStore, type ReadStore } from '@asiointitili/core';
import { Public } from '../../auth';
import { ProjectionRunner } from '../../read/projections/projection-runner';

/** Liveness and connectivity of every port, and how far the read models trail the log. */
@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(READ_STORE) private readonly store: ReadStore,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
    private readonly projections: ProjectionRunner,
  ) {}

  @Public()
  @Get()
  async health() {
    const [eventStore, readStore, blobStore, head] = await Promise.all([
      this.events.ping().catch(() => false),
      this.store.ping().catch(() => false),
      this.blobs.ping().catch(() => false),
      this.events.headPosition().catch(() => null),
    ]);
    const checkpoint = this.projections.checkpoint();
    const body = {
      status: eventStore && readStore && blobStore ? 'ok' : 'degraded',
      eventStore,
      readStore,
      blobStore,
      headPosition: head?.toString() ?? null,
      projectionCheckpoint: checkpoint?.toString() ?? null,
      projectionFailed: this.projections.failure() !== null,
    };
    if (body.status !== 'ok') throw new HttpException({ message: 'a port is unreachable', ...body }, 503);
    return body;
  }
}
