import { Body, Controller, Delete, HttpCode, Inject, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentPrincipal, Roles, type CitizenPrincipal, type PrincipalOf } from '../auth';
import { ApiProblems } from '../http/openapi/api-problems.decorator';
import { RequestId } from '../http/request-id.decorator';
import { CITIZEN_REFS, type CitizenRefs } from '../identity/citizen-ref';
import { ProjectionRunner } from '../read/projections/projection-runner';
import { ErasePersonalDataCommand, type ErasureResult } from './erase-personal-data';
import { AdminErasureView, ErasureRequestDto, ErasureView } from './erasure.dto';

/**
 * The person erases their own contact details (open or closed account). Consents, messages and
 * the trail stay: they are the legal record of delivery; only how to reach the person goes.
 */
@ApiTags('citizen')
@ApiBearerAuth()
@Roles('citizen')
@Controller('v1/citizen')
export class CitizenPersonalDataController {
  constructor(
    private readonly commands: CommandBus,
    private readonly projections: ProjectionRunner,
  ) {}

  @Delete('personal-data')
  @ApiOperation({ summary: 'Erase the own contact details (the delivery record stays)' })
  @ApiProblems({ status: 404, description: 'The person never had an account.' })
  @ApiOkResponse({ type: ErasureView, description: 'Erased now, or earlier (a repeat). 404 when the person never had an account.' })
  async erase(@CurrentPrincipal('citizen') principal: CitizenPrincipal, @RequestId() requestId?: string): Promise<ErasureView> {
    const result: ErasureResult = await this.commands.execute(new ErasePersonalDataCommand(principal, principal.citizenRef, requestId));
    await this.projections.readYourWrites(result.position);
    return { erasedAt: result.erasedAt };
  }
}

/**
 * An operator carries out an erasure request the person made outside the service (by letter, or
 * for someone who can no longer sign in). The admin is the event's actor; the henkilötunnus is in
 * the body, never in the URL, so it reaches no access log.
 */
@ApiTags('admin')
@ApiBearerAuth()
@Roles('admin')
@Controller('v1/admin')
export class AdminErasureController {
  constructor(
    private readonly commands: CommandBus,
    @Inject(CITIZEN_REFS) private readonly citizenRefs: CitizenRefs,
  ) {}

  @Post('erasures')
  @HttpCode(201)
  @ApiOperation({ summary: 'Carry out a person\'s erasure request made outside the service' })
  @ApiProblems({ status: 404, description: 'The person never had an account.' })
  @ApiCreatedResponse({ type: AdminErasureView, description: 'Erased now. 404 when the person never had an account.' })
  @ApiOkResponse({ type: AdminErasureView, description: 'Erased earlier (a repeat): nothing new erased or recorded.' })
  async erase(
    @CurrentPrincipal('admin') principal: PrincipalOf<'admin'>,
    @Body() body: ErasureRequestDto,
    @Res({ passthrough: true }) response: Response,
    @RequestId() requestId?: string,
  ): Promise<AdminErasureView> {
    const citizenRef = this.citizenRefs.refOf(body.hetu);
    const result: ErasureResult = await this.commands.execute(new ErasePersonalDataCommand(principal, citizenRef, requestId));
    response.status(result.recorded ? 201 : 200);
    return { erasedAt: result.erasedAt, citizenRef };
  }
}
