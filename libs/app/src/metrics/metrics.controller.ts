import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../auth';
import { APP_METRICS, type AppMetrics } from './app-metrics';

/**
 * Prometheus scrape endpoint. Public, like /health: scrapers seldom carry bearer tokens, and the
 * series hold no personal data (command types, route templates, counts, lag). A deployment that
 * wants it private keeps /metrics off the public ingress.
 */
@ApiTags('operations')
@Controller('metrics')
export class MetricsController {
  constructor(@Inject(APP_METRICS) private readonly metrics: AppMetrics) {}

  @Public()
  @Get()
  @ApiOperation({
    summary: 'Prometheus metrics (public, no token: like /health)',
    description:
      'Text exposition format 0.0.4: commands by type and outcome, append latency, HTTP latency by route template and status, projection lag (positions and seconds), process metrics. No personal data in any label.',
  })
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'Prometheus text exposition', schema: { type: 'string' } })
  async scrape(@Res() response: Response): Promise<void> {
    const text = await this.metrics.text();
    // Written as is: Express would reorder the content type's parameters for a string body.
    response.status(200).setHeader('Content-Type', this.metrics.contentType);
    response.end(text);
  }
}
