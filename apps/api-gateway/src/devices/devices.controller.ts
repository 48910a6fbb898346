import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { Audited } from '../audit/audited.decorator';
import { DEVICE_MODEL } from '@isp/data';
import { ApiConflictResponse, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { API_V1 } from '../common/api-prefix';
import { ParseObjectIdPipe } from '../common/object-id.pipe';
import { ApiPageResponse, pageOf } from '../common/pagination.dto';
import { CurrentUser } from '../auth/current-user.decorator';
import { RequireRole } from '../auth/roles.decorator';
import { Role, type Principal } from '../auth/roles';
import { CreateDeviceDto, DeviceQueryDto, DeviceViewDto, UpdateDeviceDto } from './device.dto';
import { DevicesService, deviceView } from './devices.service';
import { ApiErrors } from '../common/api-errors';

@ApiTags('devices')
@Audited('device', DEVICE_MODEL)
@Controller(`${API_V1}/devices`)
export class DevicesController {
  constructor(private readonly devices: DevicesService) {}

  @Get()
  @RequireRole(Role.SUPPORT)
  @ApiPageResponse(DeviceViewDto)
  list(@Query() q: DeviceQueryDto) {
    return this.devices.list({ building: q.building, router: q.router, parent: q.parent, deviceType: q.deviceType, state: q.state, ...pageOf(q) });
  }

  @Get(':id')
  @RequireRole(Role.SUPPORT)
  @ApiOkResponse({ type: DeviceViewDto })
  async get(@Param('id', ParseObjectIdPipe) id: string) {
    return deviceView(await this.devices.get(id));
  }

  /** Technicians may add devices in their own buildings. */
  @Post()
  @RequireRole(Role.TECHNICIAN)
  @ApiCreatedResponse({ type: DeviceViewDto })
  @ApiUnprocessableEntityResponse({ description: 'parent on another router/building, or a cycle' })
  @ApiErrors(409)
  create(@Body() dto: CreateDeviceDto, @CurrentUser() p: Principal) {
    return this.devices.create(dto, p);
  }

  @Patch(':id')
  @RequireRole(Role.TECHNICIAN)
  @ApiOkResponse({ type: DeviceViewDto })
  @ApiUnprocessableEntityResponse({ description: 'parent on another router/building, or a cycle' })
  @ApiErrors(409)
  update(@Param('id', ParseObjectIdPipe) id: string, @Body() dto: UpdateDeviceDto, @CurrentUser() p: Principal) {
    return this.devices.update(id, dto, p);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'deleted' })
  @RequireRole(Role.TECHNICIAN)
  @ApiConflictResponse({ description: 'the device still has children or subscribers' })
  async remove(@Param('id', ParseObjectIdPipe) id: string, @CurrentUser() p: Principal) {
    await this.devices.remove(id, p);
  }
}
