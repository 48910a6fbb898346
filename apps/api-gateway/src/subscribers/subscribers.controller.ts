import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { API_V1 } from '../common/api-prefix';
import { ParseObjectIdPipe } from '../common/object-id.pipe';
import { ApiPageResponse, pageOf } from '../common/pagination.dto';
import { RequireRole } from '../auth/roles.decorator';
import { Role } from '../auth/roles';
import { CreateSubscriberDto, DesiredStateDto, SubscriberQueryDto, SubscriberStatusDto, SubscriberViewDto, SyncStateDto, UpdateSubscriberDto } from './subscriber.dto';
import { parseSubscriberSearch } from './subscriber-search';
import { SubscribersService, subscriberView } from './subscribers.service';

@ApiTags('subscribers')
@Controller(`${API_V1}/subscribers`)
export class SubscribersController {
  constructor(private readonly subscribers: SubscribersService) {}

  @Get()
  @RequireRole(Role.SUPPORT)
  @ApiPageResponse(SubscriberViewDto)
  list(@Query() q: SubscriberQueryDto) {
    return this.subscribers.list({ building: q.building, router: q.router, station: q.station, syncStatus: q.syncStatus, isOnline: q.isOnline, isSuspended: q.isSuspended, search: q.search, lookup: q.q === undefined ? undefined : parseSubscriberSearch(q.q)!, ...pageOf(q) });
  }

  @Get(':id')
  @RequireRole(Role.SUPPORT)
  @ApiOkResponse({ type: SubscriberViewDto })
  async get(@Param('id', ParseObjectIdPipe) id: string) {
    return subscriberView(await this.subscribers.get(id));
  }

  @Get(':id/status')
  @RequireRole(Role.SUPPORT)
  @ApiOperation({ summary: 'Online state, since when, and the current downtime with its cause: from the database, never the router' })
  @ApiOkResponse({ type: SubscriberStatusDto })
  status(@Param('id', ParseObjectIdPipe) id: string) {
    return this.subscribers.status(id);
  }

  @Get(':id/sync')
  @RequireRole(Role.SUPPORT)
  @ApiOkResponse({ type: SyncStateDto })
  sync(@Param('id', ParseObjectIdPipe) id: string) {
    return this.subscribers.sync(id);
  }

  @Post()
  @RequireRole(Role.NETADMIN)
  @ApiCreatedResponse({ type: SubscriberViewDto })
  @ApiConflictResponse({ description: 'username already exists on the router' })
  create(@Body() dto: CreateSubscriberDto) {
    return this.subscribers.create(dto);
  }

  @Patch(':id')
  @RequireRole(Role.NETADMIN)
  @ApiOkResponse({ type: SubscriberViewDto })
  update(@Param('id', ParseObjectIdPipe) id: string, @Body() dto: UpdateSubscriberDto) {
    return this.subscribers.update(id, dto);
  }

  @Put(':id/desired-state')
  @HttpCode(202)
  @RequireRole(Role.NETADMIN)
  @ApiOperation({ summary: 'Change plan, password, rate limit or suspension; provisioning applies it to the router' })
  @ApiAcceptedResponse({ type: SubscriberViewDto })
  desired(@Param('id', ParseObjectIdPipe) id: string, @Body() dto: DesiredStateDto) {
    return this.subscribers.writeDesired(id, dto);
  }

  @Post(':id/suspend')
  @HttpCode(202)
  @RequireRole(Role.NETADMIN)
  @ApiAcceptedResponse({ type: SubscriberViewDto })
  suspend(@Param('id', ParseObjectIdPipe) id: string) {
    return this.subscribers.writeDesired(id, { isSuspended: true });
  }

  @Post(':id/unsuspend')
  @HttpCode(202)
  @RequireRole(Role.NETADMIN)
  @ApiAcceptedResponse({ type: SubscriberViewDto })
  unsuspend(@Param('id', ParseObjectIdPipe) id: string) {
    return this.subscribers.writeDesired(id, { isSuspended: false });
  }

  @Post(':id/resync')
  @HttpCode(202)
  @RequireRole(Role.NETADMIN)
  @ApiAcceptedResponse({ type: SyncStateDto })
  resync(@Param('id', ParseObjectIdPipe) id: string) {
    return this.subscribers.resync(id);
  }

  @Delete(':id')
  @HttpCode(204)
  @RequireRole(Role.NETADMIN)
  async remove(@Param('id', ParseObjectIdPipe) id: string) {
    await this.subscribers.remove(id);
  }
}
