import { Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { API_V1 } from '../common/api-prefix';
import { ParseObjectIdPipe } from '../common/object-id.pipe';
import { RequireRole } from '../auth/roles.decorator';
import { Role } from '../auth/roles';
import { TopologyService } from './topology.service';

@ApiTags('topology')
@Controller(API_V1)
export class TopologyController {
  constructor(private readonly topology: TopologyService) {}

  @Get('buildings/:id/topology')
  @RequireRole(Role.SUPPORT)
  @ApiOperation({ summary: "The building's tree (routers, devices, subscriber counts per station) with live states" })
  @ApiOkResponse({ description: 'the tree' })
  tree(@Param('id', ParseObjectIdPipe) id: string) {
    return this.topology.forBuilding(id);
  }
}
