import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';

/**
 * The caller's optional `X-Request-Id`, used as the correlation id of the command it starts
 * (see write/request-context.ts, which also checks its shape). A param decorator of our own so
 * that OpenAPI does not list it as a required header.
 */
export const RequestId = createParamDecorator((_: unknown, context: ExecutionContext): string | undefined => {
  const value = context.switchToHttp().getRequest<Request>().headers['x-request-id'];
  return typeof value === 'string' ? value : undefined;
});
