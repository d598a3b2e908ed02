import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '../../auth';
import { RegisterAgencyCommand } from '../../write/use-cases/register-agency';
import { RegisterAgencyDto } from '../dto/admin.dto';
import { RequestId } from '../request-id.decorator';

@ApiTags('admin')
@ApiBearerAuth()
@Roles('admin')
@Controller('v1/admin')
export class AdminController {
  constructor(private readonly commands: CommandBus) {}

  @Post('agencies')
  @HttpCode(201)
  registerAgency(@CurrentPrincipal() principal: Principal, @Body() body: RegisterAgencyDto, @RequestId() requestId?: string): Promise<{ id: string }> {
    return this.commands.execute(new RegisterAgencyCommand(principal, body, requestId));
  }
}
