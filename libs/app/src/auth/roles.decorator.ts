import { SetMetadata } from '@nestjs/common';
import type { Role } from './principal';

export const ROLES_METADATA = 'asiointitili:roles';

/**
 * Only these roles may call the route (on a method) or every route of a controller (on a class);
 * a method's list replaces its class's. Others get 403.
 */
export const Roles = (...roles: readonly [Role, ...Role[]]): MethodDecorator & ClassDecorator => SetMetadata(ROLES_METADATA, roles);
