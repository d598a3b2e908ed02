import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { randomBytes } from 'node:crypto';
import { CLOCK, type Clock } from '@asiointitili/core';
import { addCalendarDays, helsinkiDate, mandateExpiresAt, mandateStanding, parseHetu } from '@asiointitili/domain';
import { actorOf, CurrentPrincipal, Roles, type CitizenPrincipal, type Principal } from '../auth';
import { IdParam } from '../http/controllers/params';
import { ApiProblems } from '../http/openapi/api-problems.decorator';
import { CreatedIdSchema } from '../http/openapi/response.schemas';
import { RequestId } from '../http/request-id.decorator';
import { CITIZEN_REFS, type CitizenRefs } from '../identity/citizen-ref';
import { ProjectionRunner } from '../read/projections/projection-runner';
import { requestContext } from '../write/request-context';
import { EmbeddedMandateRegister } from './embedded-mandate-register';
import { MANDATE_LOOKUP, type Mandate, type MandateLookup } from './mandate-register';
import { MandateEndedSchema, PrincipalsSchema, RecordMandateDto, type PrincipalItemSchema } from './mandates.dto';

const newMandateId = (): string => `md-${randomBytes(12).toString('base64url')}`;

/** The operator records and ends mandates of the embedded register. */
@ApiTags('admin')
@ApiBearerAuth()
@Roles('admin')
@Controller('v1/admin/mandates')
export class AdminMandatesController {
  constructor(
    private readonly register: EmbeddedMandateRegister,
    private readonly projections: ProjectionRunner,
    @Inject(CITIZEN_REFS) private readonly refs: CitizenRefs,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Record a mandate: the agent may act for the principal within the scopes',
    description: 'A `guardian` mandate is for a minor and ends by itself when the principal\'s 18th birthday begins in Helsinki (the birth date is read from the henkilötunnus). The log keeps citizenRefs only.',
  })
  @ApiBody({ type: RecordMandateDto, examples: { guardian: { value: { principal: { hetu: '010115A902M' }, agent: { hetu: '131052-308T' }, relation: 'guardian', scopes: ['read', 'acknowledge'] } } } })
  @ApiCreatedResponse({ type: CreatedIdSchema })
  @ApiProblems(400, { status: 422, description: 'Refused by the mandate rules: for oneself, a guardian of an adult, validUntil in the past.' })
  async record(@CurrentPrincipal() principal: Principal, @Body() body: RecordMandateDto, @RequestId() requestId?: string): Promise<{ id: string }> {
    const parsed = parseHetu(body.principal.hetu);
    const id = newMandateId();
    const { position } = await this.register.record(
      id,
      {
        principalRef: this.refs.refOf(body.principal.hetu),
        agentRef: this.refs.refOf(body.agent.hetu),
        relation: body.relation,
        scopes: body.scopes,
        ...(body.validUntil === undefined ? {} : { validUntil: body.validUntil }),
        ...(body.relation === 'guardian' && parsed.ok ? { principalBornOn: parsed.hetu.dateOfBirth } : {}),
      },
      this.clock.now().toISOString(),
      requestContext(actorOf(principal), requestId),
    );
    await this.projections.readYourWrites(position);
    return { id };
  }

  @Delete(':id')
  @ApiOperation({ summary: 'End a mandate (final; repeating it changes nothing)' })
  @ApiOkResponse({ type: MandateEndedSchema })
  @ApiProblems({ status: 404, description: 'No such mandate.' })
  async end(@CurrentPrincipal() principal: Principal, @Param() { id }: IdParam, @RequestId() requestId?: string): Promise<MandateEndedSchema> {
    const { position } = await this.register.end(id, this.clock.now().toISOString(), requestContext(actorOf(principal), requestId));
    await this.projections.readYourWrites(position);
    const ended = await this.register.byId(id);
    return { id, endedAt: ended?.endedAt ?? this.clock.now().toISOString() };
  }
}

/** Whom the signed-in citizen may act for now. */
@ApiTags('citizen')
@ApiBearerAuth()
@Roles('citizen')
@Controller('v1/citizen/principals')
export class CitizenPrincipalsController {
  constructor(@Inject(MANDATE_LOOKUP) private readonly mandates: MandateLookup, @Inject(CLOCK) private readonly clock: Clock) {}

  @Get()
  @ApiOperation({ summary: 'The people I may act for now (send a mandate id as `X-Act-For`)' })
  @ApiOkResponse({ type: PrincipalsSchema })
  async principals(@CurrentPrincipal('citizen') citizen: CitizenPrincipal): Promise<{ items: PrincipalItemSchema[] }> {
    const now = this.clock.now().toISOString();
    const held = await this.mandates.heldBy(citizen.citizenRef);
    return { items: held.filter((m) => mandateStanding(m, now) === 'in-force').map(principalItem) };
  }
}

/** The last Helsinki day a mandate is in force, from its own terms (validUntil, a guardian's 18th birthday). */
export function lastDayOf(mandate: Mandate): string | undefined {
  const expires = mandateExpiresAt(mandate.mandate);
  return expires === undefined ? undefined : addCalendarDays(helsinkiDate(expires), -1);
}

function principalItem(m: Mandate): PrincipalItemSchema {
  const validUntil = lastDayOf(m);
  return { id: m.mandate.mandateId, relation: m.mandate.relation, scopes: [...m.mandate.scopes], ...(validUntil === undefined ? {} : { validUntil }) };
}
