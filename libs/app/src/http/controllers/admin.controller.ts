import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '../../auth';
import { RegisterAgencyCommand } from '../../write/use-cases/register-agency';
import { RegisterAgencyDto } from '../dto/admin.dto';
import { ApiProblems } from '../openapi/api-problems.decorator';
import { CreatedIdSchema } from '../openapi/response.schemas';
import { RequestId } from '../request-id.decorator';

@ApiTags('admin')
@ApiBearerAuth()
@Roles('admin')
@Controller('v1/admin')
export class AdminController {
  constructor(private readonly commands: CommandBus) {}

  @Post('agencies')
  @HttpCode(201)
  @ApiOperation({ summary: 'Register an agency' })
  @ApiBody({ type: RegisterAgencyDto, examples: { kela: { value: { id: 'kela', name: 'Kansaneläkelaitos', businessId: '0246246-0' } } } })
  @ApiCreatedResponse({ type: CreatedIdSchema })
  @ApiProblems({ status: 409, description: 'An agency with this id is registered already.' }, 422)
  registerAgency(@CurrentPrincipal() principal: Principal, @Body() body: RegisterAgencyDto, @RequestId() requestId?: string): Promise<{ id: string }> {
    return this.commands.execute(new RegisterAgencyCommand(principal, body, requestId));
  }
}
