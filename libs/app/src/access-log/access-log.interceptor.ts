import { Injectable, Logger, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { concatMap, type Observable } from 'rxjs';
import { messageStream } from '@asiointitili/domain';
import type { AuthenticatedRequest } from '../auth/authenticated-request';
import { ProblemException, problem } from '../http/problem';
import { AccessRecorder } from './access-recorder';
import { requestLine } from '../process/request-scope';

/** Routes whose reads are recorded: everything auditors read, and operators' reads of the admin API. */
export const RECORDED_PREFIXES = ['/v1/audit/', '/v1/admin/'] as const;

/**
 * Reads under those prefixes that disclose no personal data, by route pattern. Anything not
 * listed is recorded, so a new audit route is traced until someone argues otherwise here.
 * - verify: recomputes hash chains and answers counts and failed stream names (pseudonymous ids),
 *   never an event's content. Recording it would also make every "nothing changed" check by
 *   event count see the check itself.
 */
export const UNRECORDED_ROUTES: ReadonlySet<string> = new Set(['GET /v1/audit/verify']);

interface RoutedRequest extends AuthenticatedRequest {
  readonly method: string;
  readonly path: string;
  readonly route?: { readonly path?: string };
  readonly params?: Readonly<Record<string, unknown>>;
  readonly query?: Readonly<Record<string, unknown>>;
}

/**
 * The access log (global interceptor): a successful GET under /v1/audit or /v1/admin by an
 * auditor or an admin appends an AccessRecorded naming who read which route and stream, after the
 * handler read the data and before the answer leaves. If the record cannot be written, the reader
 * gets a 503 instead of the data: there is no untraced read of personal data. Refused and failed
 * reads are not recorded (nothing was read).
 */
@Injectable()
export class AccessLogInterceptor implements NestInterceptor {
  private readonly logger = new Logger('AccessLog');

  constructor(private readonly recorder: AccessRecorder) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<RoutedRequest>();
    const principal = request.principal;
    const recordedRoute = request.method === 'GET' && RECORDED_PREFIXES.some((prefix) => `${request.path}/`.startsWith(prefix));
    if (!recordedRoute || !principal || (principal.role !== 'auditor' && principal.role !== 'admin')) return next.handle();
    const route = `GET ${request.route?.path ?? request.path}`;
    if (UNRECORDED_ROUTES.has(route)) return next.handle();
    const requestId = request.headers['x-request-id'];
    return next.handle().pipe(
      concatMap(async (answer: unknown) => {
        try {
          await this.recorder.record({ principal, route, resource: resourceOf(request), requestId: typeof requestId === 'string' ? requestId : undefined });
        } catch (error) {
          this.logger.error(requestLine(request, `access record failed, read withheld: ${error instanceof Error ? error.message : String(error)}`));
          throw new ProblemException(problem(503, 'access-log-unavailable', 'The read could not be recorded in the access log, so it is not served; retry shortly.'), { 'Retry-After': '1' });
        }
        return answer;
      }),
    );
  }
}

/** The stream (or, failing that, the path) a read addressed; the values were validated by the route before the handler ran. */
export function resourceOf(request: Pick<RoutedRequest, 'path' | 'params' | 'query' | 'route'>): string {
  const stream = request.params?.stream ?? request.query?.stream;
  if (typeof stream === 'string') return stream;
  const id = request.params?.id;
  if (typeof id === 'string' && request.route?.path?.startsWith('/v1/audit/messages/')) return messageStream(id);
  if (typeof id === 'string' && request.route?.path?.startsWith('/v1/admin/agencies/')) return `agency-${id}`;
  return request.path.slice(0, 512);
}
