import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'asiointitili:is-public';

/** Marks a route (or a whole controller) as reachable without a token, e.g. GET /v1/keys, health, docs. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);
