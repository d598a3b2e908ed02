import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { BLOB_STORE, CLOCK, EVENT_STORE, MALWARE_SCANNER, READ_STORE } from '@asiointitili/core';
import { EVIDENCE_FEATURE } from './evidence/evidence.feature';
import type { Feature } from './feature';
import { MANDATES_FEATURE } from './mandates/mandates.feature';
import { LEGAL_TIME_FEATURE } from './legal-time/legal-time.feature';
import { TWO_WAY_FEATURE } from './two-way/two-way.feature';
import { WEBHOOKS_FEATURE } from './webhooks/webhooks.feature';
import { APP_METRICS } from './metrics/app-metrics';
import { METRICS_FEATURE } from './metrics/metrics.feature';
import { PERSONAL_DATA_FEATURE } from './personal-data/personal-data.feature';
import { PERSONAL_DATA_VAULT } from './personal-data/personal-data-vault';
import { TokenService } from './auth';
import { securityFeature } from './security/security.feature';
import { bindAccessLog } from './access-log/recorded-routes';
import { AdminController } from './http/controllers/admin.controller';
import { AgencyController } from './http/controllers/agency.controller';
import { AgencyBulkController } from './http/controllers/agency-bulk.controller';
import { AuditController } from './http/controllers/audit.controller';
import { CitizenController } from './http/controllers/citizen.controller';
import { HealthController, READINESS_SOURCES } from './http/controllers/health.controller';
import { readinessSourcesOf } from './health/readiness';
import { KeysController } from './http/controllers/keys.controller';
import { ProblemFilter } from './http/problem.filter';
import { CITIZEN_REFS } from './identity/citizen-ref';
import { KEY_RING } from './keys';
import { ProjectionRunner } from './read/projections/projection-runner';
import { AgencyMessagesQuery } from './read/queries/agency-messages.query';
import { InboxQuery } from './read/queries/inbox.query';
import { RecipientCheck } from './read/queries/recipient-check';
import type { Runtime } from './runtime/runtime';
import { AgencyDirectory } from './write/agency-directory';
import { CommandExecutor } from './write/command-executor';
import { RouteCheck } from './legal-time/route-check';
import { APP_CONFIG } from './write/tokens';
import { ChangeAccountHandler } from './write/use-cases/account';
import { AcknowledgeReceiptHandler, OpenMessageHandler } from './write/use-cases/citizen-message';
import { RegisterAgencyHandler } from './write/use-cases/register-agency';
import { SendMessageHandler } from './write/use-cases/send-message';
import { CancelMessageHandler } from './write/use-cases/cancel-message';
import { SendBulkHandler } from './write/use-cases/send-bulk';
import { AgencyDirectoryController } from './web/agency-directory.controller';

const COMMAND_HANDLERS = [RegisterAgencyHandler, ChangeAccountHandler, SendMessageHandler, OpenMessageHandler, AcknowledgeReceiptHandler, SendBulkHandler, CancelMessageHandler];
const QUERIES = [InboxQuery, AgencyMessagesQuery, RecipientCheck];
const FEATURES: readonly Feature[] = [LEGAL_TIME_FEATURE, EVIDENCE_FEATURE, TWO_WAY_FEATURE, METRICS_FEATURE, PERSONAL_DATA_FEATURE, WEBHOOKS_FEATURE, MANDATES_FEATURE];

/** The HTTP application: controllers call the command bus or a query; handlers call the ports. */
@Module({})
export class AsiointitiliModule {
  static register(runtime: Runtime): DynamicModule {
    // First: a production start on the development key stops here, before Nest is created.
    const security = securityFeature(runtime.config);
    const controllers = [AdminController, CitizenController, AgencyDirectoryController, AgencyController, AgencyBulkController, AuditController, KeysController, HealthController, ...FEATURES.flatMap((f) => f.controllers), ...security.controllers];
    bindAccessLog(controllers); // every read under /v1/audit and /v1/admin is recorded; no other route pays for the interceptor
    return {
      module: AsiointitiliModule,
      imports: [CqrsModule.forRoot()],
      controllers,
      providers: [
        { provide: APP_CONFIG, useValue: runtime.config },
        { provide: CLOCK, useValue: runtime.clock },
        { provide: EVENT_STORE, useValue: runtime.events },
        { provide: READ_STORE, useValue: runtime.readStore },
        { provide: BLOB_STORE, useValue: runtime.blobs },
        { provide: MALWARE_SCANNER, useValue: runtime.malwareScanner },
        { provide: KEY_RING, useValue: runtime.keyRing },
        { provide: CITIZEN_REFS, useValue: runtime.citizenRefs },
        { provide: PERSONAL_DATA_VAULT, useValue: runtime.personalData },
        { provide: CommandExecutor, useValue: runtime.executor },
        { provide: RouteCheck, useValue: runtime.routeCheck },
        { provide: ProjectionRunner, useValue: runtime.projections },
        { provide: APP_METRICS, useValue: runtime.metrics },
        { provide: READINESS_SOURCES, useValue: readinessSourcesOf(runtime) },
        TokenService,
        ...security.providers, // the token verifier; global guards in order: rate limit, authentication, agency network; the access recorder
        { provide: APP_FILTER, useClass: ProblemFilter },
        AgencyDirectory,
        ...QUERIES,
        ...COMMAND_HANDLERS,
        ...FEATURES.flatMap((f) => f.providers),
      ],
    };
  }
}
