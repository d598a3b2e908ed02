import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { READ_STORE, type ReadStore } from '@asiointitili/core';
import { Roles } from '../auth';
import { PageQueryDto } from '../http/dto/common.dto';
import { pageLimit } from '../http/limits';
import { Collections } from '../read/projections';
import type { AgencyDoc } from '../read/projections/agencies.projection';

export class AgencyEntryView {
  @ApiProperty({ example: 'kela' })
  readonly id!: string;

  @ApiProperty({ example: 'Kansaneläkelaitos' })
  readonly name!: string;
}

export class AgencyDirectoryPage {
  @ApiProperty({ type: [AgencyEntryView] })
  readonly items!: AgencyEntryView[];

  @ApiProperty({ type: String, nullable: true, description: 'Cursor of the next page, or null' })
  readonly next!: string | null;
}

/**
 * The registered agencies by id and name, for the citizen: whom consent can be given to, and the
 * names shown beside messages and applications instead of bare ids. Public facts about public
 * authorities; nothing about the person.
 */
@ApiTags('citizen')
@ApiBearerAuth()
@Roles('citizen')
@Controller('v1/citizen/agencies')
export class AgencyDirectoryController {
  constructor(@Inject(READ_STORE) private readonly store: ReadStore) {}

  @Get()
  @ApiOperation({ summary: 'The registered agencies by id and name' })
  @ApiOkResponse({ type: AgencyDirectoryPage, description: 'Registered agencies, by id. 400 for a bad limit or cursor.' })
  async list(@Query() query: PageQueryDto): Promise<AgencyDirectoryPage> {
    const page = await this.store.find<AgencyDoc>(Collections.agencies, { orderBy: [{ field: 'id', direction: 'asc' }], limit: pageLimit(query.limit), cursor: query.cursor ?? null });
    return { items: page.items.map(({ id, name }) => ({ id, name })), next: page.next };
  }
}
