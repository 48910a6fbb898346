import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { Audited } from '../audit/audited.decorator';
import { SUBSCRIBER_MODEL } from '@isp/data';
import { ApiAcceptedResponse, ApiConflictResponse, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { API_V1 } from '../common/api-prefix';
import { ParseObjectIdPipe } from '../common/object-id.pipe';
import { ApiPageResponse, pageOf } from '../common/pagination.dto';
import { RequireRole } from '../auth/roles.decorator';
import { CurrentUser } from '../auth/current-user.decorator';
import { Role, type Principal } from '../auth/roles';
import { CreateSubscriberDto, DesiredStateDto, SubscriberQueryDto, SubscriberStatusDto, SubscriberViewDto, SyncStateDto, UpdateSubscriberDto } from './subscriber.dto';
import { parseSubscriberSearch } from './subscriber-search';
import { SubscribersService, subscriberView } from './subscribers.service';
import { ApiErrors } from '../common/api-errors';

@ApiTags('subscribers')
@Audited('subscriber', SUBSCRIBER_MODEL)
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
  @ApiErrors(422)
  create(@Body() dto: CreateSubscriberDto, @CurrentUser() p: Principal) {
    return this.subscribers.create(dto, p);
  }

  @Patch(':id')
  @RequireRole(Role.NETADMIN)
  @ApiOperation({ summary: 'Station, and move (routerId) or rename (username): provisioning removes the old secret, ends the old session, creates the new one' })
  @ApiOkResponse({ type: SubscriberViewDto })
  @ApiErrors(409, 422)
  update(@Param('id', ParseObjectIdPipe) id: string, @Body() dto: UpdateSubscriberDto, @CurrentUser() p: Principal) {
    return this.subscribers.update(id, dto, p);
  }

  @Put(':id/desired-state')
  @HttpCode(202)
  @RequireRole(Role.NETADMIN)
  @ApiOperation({ summary: 'Change plan, password, rate limit or suspension; provisioning applies it to the router' })
  @ApiAcceptedResponse({ type: SubscriberViewDto })
  @ApiErrors(422)
  desired(@Param('id', ParseObjectIdPipe) id: string, @Body() dto: DesiredStateDto, @CurrentUser() p: Principal) {
    return this.subscribers.writeDesired(id, dto, p);
  }

  @Post(':id/suspend')
  @HttpCode(202)
  @RequireRole(Role.NETADMIN)
  @ApiAcceptedResponse({ type: SubscriberViewDto })
  suspend(@Param('id', ParseObjectIdPipe) id: string, @CurrentUser() p: Principal) {
    return this.subscribers.writeDesired(id, { isSuspended: true }, p);
  }

  @Post(':id/unsuspend')
  @HttpCode(202)
  @RequireRole(Role.NETADMIN)
  @ApiAcceptedResponse({ type: SubscriberViewDto })
  unsuspend(@Param('id', ParseObjectIdPipe) id: string, @CurrentUser() p: Principal) {
    return this.subscribers.writeDesired(id, { isSuspended: false }, p);
  }

  @Post(':id/resync')
  @HttpCode(202)
  @RequireRole(Role.NETADMIN)
  @ApiAcceptedResponse({ type: SyncStateDto })
  resync(@Param('id', ParseObjectIdPipe) id: string, @CurrentUser() p: Principal) {
    return this.subscribers.resync(id, p);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'deleted' })
  @RequireRole(Role.NETADMIN)
  async remove(@Param('id', ParseObjectIdPipe) id: string, @CurrentUser() p: Principal) {
    await this.subscribers.remove(id, p);
  }
}
