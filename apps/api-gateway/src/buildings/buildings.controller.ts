import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { Audited } from '../audit/audited.decorator';
import { BUILDING_MODEL } from '@isp/data';
import { ApiConflictResponse, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { API_V1 } from '../common/api-prefix';
import { ParseObjectIdPipe } from '../common/object-id.pipe';
import { ApiPageResponse, PageQueryDto, pageOf } from '../common/pagination.dto';
import { RequireRole } from '../auth/roles.decorator';
import { CurrentUser } from '../auth/current-user.decorator';
import { Role, type Principal } from '../auth/roles';
import { BuildingViewDto, CreateBuildingDto, UpdateBuildingDto } from './building.dto';
import { BuildingsService, buildingView } from './buildings.service';
import { ApiErrors } from '../common/api-errors';

export class BuildingQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'part of the name, case-insensitive' }) @IsOptional() @IsString() @MaxLength(120) search?: string;
}

@ApiTags('buildings')
@Audited('building', BUILDING_MODEL)
@Controller(`${API_V1}/buildings`)
export class BuildingsController {
  constructor(private readonly buildings: BuildingsService) {}

  @Get()
  @RequireRole(Role.SUPPORT)
  @ApiPageResponse(BuildingViewDto)
  list(@Query() q: BuildingQueryDto) {
    return this.buildings.list({ search: q.search, ...pageOf(q) });
  }

  @Get(':id')
  @RequireRole(Role.SUPPORT)
  @ApiOkResponse({ type: BuildingViewDto })
  async get(@Param('id', ParseObjectIdPipe) id: string) {
    return buildingView(await this.buildings.get(id));
  }

  @Post()
  @RequireRole(Role.NETADMIN)
  @ApiCreatedResponse({ type: BuildingViewDto })
  @ApiConflictResponse({ description: 'name or code already used' })
  create(@Body() dto: CreateBuildingDto, @CurrentUser() p: Principal) {
    return this.buildings.create(dto, p);
  }

  @Patch(':id')
  @RequireRole(Role.NETADMIN)
  @ApiOkResponse({ type: BuildingViewDto })
  @ApiErrors(409)
  update(@Param('id', ParseObjectIdPipe) id: string, @Body() dto: UpdateBuildingDto, @CurrentUser() p: Principal) {
    return this.buildings.update(id, dto, p);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'deleted' })
  @RequireRole(Role.NETADMIN)
  @ApiConflictResponse({ description: 'the building still has routers or devices' })
  async remove(@Param('id', ParseObjectIdPipe) id: string, @CurrentUser() p: Principal) {
    await this.buildings.remove(id, p);
  }
}
