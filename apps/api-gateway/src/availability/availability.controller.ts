import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { API_V1 } from '../common/api-prefix';
import { ParseObjectIdPipe } from '../common/object-id.pipe';
import { RequireRole } from '../auth/roles.decorator';
import { Role } from '../auth/roles';
import { AvailabilityDto, PeriodQueryDto } from './availability.dto';
import { AvailabilityService } from './availability.service';

@ApiTags('availability')
@Controller(API_V1)
export class AvailabilityController {
  constructor(private readonly availability: AvailabilityService) {}

  @Get('subscribers/:id/availability')
  @RequireRole(Role.SUPPORT)
  @ApiOkResponse({ type: AvailabilityDto })
  subscriber(@Param('id', ParseObjectIdPipe) id: string, @Query() q: PeriodQueryDto) {
    return this.availability.forSubscriber(id, q);
  }

  @Get('buildings/:id/availability')
  @RequireRole(Role.SUPPORT)
  @ApiOkResponse({ type: AvailabilityDto })
  building(@Param('id', ParseObjectIdPipe) id: string, @Query() q: PeriodQueryDto) {
    return this.availability.forBuilding(id, q);
  }
}
