import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { AdminController } from '../../libs/app/src/http/controllers/admin.controller';
import { AgencyBulkController } from '../../libs/app/src/http/controllers/agency-bulk.controller';
import { AgencyController } from '../../libs/app/src/http/controllers/agency.controller';
import { AuditController } from '../../libs/app/src/http/controllers/audit.controller';
import { CitizenController } from '../../libs/app/src/http/controllers/citizen.controller';
import { HealthController } from '../../libs/app/src/http/controllers/health.controller';
import { KeysController } from '../../libs/app/src/http/controllers/keys.controller';
import { CredentialsController } from '../../libs/app/src/credentials/credentials.controller';
import { TokenController } from '../../libs/app/src/credentials/token.controller';
import { MetricsController } from '../../libs/app/src/metrics/metrics.controller';
import { AgencyDirectoryController } from '../../libs/app/src/web/agency-directory.controller';
import { AttachmentsController } from '../../libs/app/src/attachments/attachments.controller';
import { WebhooksController } from '../../libs/app/src/webhooks/webhooks.controller';
import { AdminMandatesController, CitizenPrincipalsController } from '../../libs/app/src/mandates/mandates.controller';
import { AdminErasureController, CitizenPersonalDataController } from '../../libs/app/src/personal-data/personal-data.controller';
import { ProofController } from '../../libs/app/src/evidence/proof.controller';
import { CitizenTwoWayController } from '../../libs/app/src/two-way/citizen-two-way.controller';
import { AgencyTwoWayController } from '../../libs/app/src/two-way/agency-two-way.controller';

const CONTROLLERS: readonly Function[] = [
  AdminController, AgencyBulkController, AgencyController, AuditController, CitizenController, HealthController, KeysController,
  CredentialsController, TokenController, MetricsController, AgencyDirectoryController, AttachmentsController, WebhooksController,
  AdminMandatesController, CitizenPrincipalsController, CitizenPersonalDataController, AdminErasureController, ProofController, CitizenTwoWayController, AgencyTwoWayController,
];

const PIPED: ReadonlyMap<number, 'body' | 'query' | 'param'> = new Map([
  [RouteParamtypes.BODY, 'body'],
  [RouteParamtypes.QUERY, 'query'],
  [RouteParamtypes.PARAM, 'param'],
]);

export interface DtoUse {
  readonly type: Function;
  readonly in: 'body' | 'query' | 'param';
}

/** Every class the global pipe receives as a whole body, query or params object of a route (the pipe's DTOs). */
export function controllerDtos(): DtoUse[] {
  const uses = new Map<Function, DtoUse>();
  for (const controller of CONTROLLERS) {
    const prototype = controller.prototype as Record<string, unknown>;
    for (const method of Object.getOwnPropertyNames(prototype)) {
      const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, method) ?? {}) as Record<string, { index: number; data?: unknown }>;
      const types = (Reflect.getMetadata('design:paramtypes', prototype, method) ?? []) as Function[];
      for (const [key, arg] of Object.entries(args)) {
        const where = PIPED.get(Number(key.split(':')[0]));
        const type = types[arg.index];
        if (!where || arg.data !== undefined || !type || [String, Number, Boolean, Object, Array].includes(type as never)) continue;
        if (!uses.has(type)) uses.set(type, { type, in: where });
      }
    }
  }
  return [...uses.values()];
}
