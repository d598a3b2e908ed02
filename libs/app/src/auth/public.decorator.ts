import { SetMetadata, applyDecorators } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import { PUBLIC_EXTENSION } from '../http/openapi/openapi-document';

export const IS_PUBLIC = 'asiointitili:is-public';

/** Marks a route (or a whole controller) as reachable without a token, e.g. GET /v1/keys, health, docs. */
export const Public = (): MethodDecorator & ClassDecorator =>
  // The extension becomes the operation's `security: []` in the OpenAPI document.
  applyDecorators(SetMetadata(IS_PUBLIC, true), ApiExtension(PUBLIC_EXTENSION, true));
