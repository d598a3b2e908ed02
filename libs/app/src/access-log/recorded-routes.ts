import { UseInterceptors, type Type } from '@nestjs/common';
import { INTERCEPTORS_METADATA, METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { AccessLogInterceptor, RECORDED_PREFIXES } from './access-log.interceptor';

/**
 * Binds the AccessLogInterceptor to every route that can serve a path under RECORDED_PREFIXES,
 * found from the controllers' own route metadata, instead of registering it as a global
 * interceptor. A global interceptor puts every request of every route through Nest's interceptor
 * chain (an rxjs pipeline and two AsyncResource.bind calls per request), which cost ~50–100 µs of
 * CPU per send (send-cpu.js with and without it, alternating) for an interceptor that acts on
 * audit and admin reads only. A route added under those prefixes is bound as soon as it exists;
 * a path segment that is a parameter or a wildcard counts as matching, so a route that might serve
 * such a path is bound too (the interceptor itself still checks the request's method and path).
 * Binding twice is a no-op: the module is registered once per application, and tests create many.
 */
export function bindAccessLog(controllers: readonly Type<unknown>[]): void {
  for (const controller of controllers) {
    const base = pathsOf(Reflect.getMetadata(PATH_METADATA, controller));
    for (const key of Object.getOwnPropertyNames(controller.prototype)) {
      const handler = Object.getOwnPropertyDescriptor(controller.prototype, key)?.value as unknown;
      if (typeof handler !== 'function' || Reflect.getMetadata(METHOD_METADATA, handler) === undefined) continue;
      const routes = base.flatMap((prefix) => pathsOf(Reflect.getMetadata(PATH_METADATA, handler)).map((path) => `${prefix}/${path}`));
      if (!routes.some(mayServeRecordedPath)) continue;
      const bound = (Reflect.getMetadata(INTERCEPTORS_METADATA, handler) as unknown[] | undefined) ?? [];
      if (bound.includes(AccessLogInterceptor)) continue;
      UseInterceptors(AccessLogInterceptor)(controller.prototype, key, Object.getOwnPropertyDescriptor(controller.prototype, key)!);
    }
  }
}

function pathsOf(metadata: unknown): string[] {
  const paths = Array.isArray(metadata) ? metadata : [metadata ?? '/'];
  return paths.map((path) => String(path).replace(/^\/+|\/+$/g, ''));
}

/** Whether a route template such as `v1/audit/streams/:stream` can match a path under a recorded prefix. */
export function mayServeRecordedPath(template: string): boolean {
  const segments = template.split('/').filter(Boolean);
  return RECORDED_PREFIXES.some((prefix) => {
    const wanted = prefix.split('/').filter(Boolean);
    for (let i = 0; i < wanted.length; i++) {
      const segment = segments[i];
      if (segment === undefined) return false;
      if (/^[:*{]/.test(segment) || segment.includes('*')) return true;
      if (segment !== wanted[i]) return false;
    }
    return true;
  });
}
