import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { ALL_QUEUES } from '@isp/domain';
import { PlatformModule } from '@isp/platform';
import { AuthModule } from './auth/auth.module';
import { AvailabilityController } from './availability/availability.controller';
import { AvailabilityService } from './availability/availability.service';
import { BroadcastModule } from './broadcast/broadcast.module';
import { BuildingsController } from './buildings/buildings.controller';
import { BuildingsService } from './buildings/buildings.service';
import { HttpErrorFilter } from './common/http-error.filter';
import type { ApiGatewayConfig } from './config/api-gateway.config';
import { GatewayConfigModule } from './config/gateway-config.module';
import { ContactsController } from './contacts/contacts.controller';
import { DevicesController } from './devices/devices.controller';
import { DevicesService } from './devices/devices.service';
import { DowntimeController } from './downtime/downtime.controller';
import { FeedController } from './feed/feed.controller';
import { FeedTicketController } from './feed/feed-ticket.controller';
import { FeedService } from './feed/feed.service';
import { IncidentsController } from './incidents/incidents.controller';
import { IncidentsService } from './incidents/incidents.service';
import { LiveCheckController } from './live-check/live-check.controller';
import { LiveCheckStreamController } from './live-check/live-check-stream.controller';
import { LiveCheckStreamService } from './live-check/live-check-stream.service';
import { LiveCheckService } from './live-check/live-check.service';
import { QueuesController } from './queues/queues.controller';
import { RoutersController } from './routers/routers.controller';
import { RoutersService } from './routers/routers.service';
import { SubscribersController } from './subscribers/subscribers.controller';
import { SubscribersService } from './subscribers/subscribers.service';
import { TopologyController } from './topology/topology.controller';
import { TopologyService } from './topology/topology.service';

/** Controllers of the admin REST API (the route-table test walks these). */
export const API_CONTROLLERS = [
  BuildingsController,
  RoutersController,
  DevicesController,
  SubscribersController,
  IncidentsController,
  DowntimeController,
  AvailabilityController,
  TopologyController,
  LiveCheckController,
  LiveCheckStreamController,
  FeedController,
  FeedTicketController,
  ContactsController,
  QueuesController,
];

@Module({})
export class AppModule {
  static forRoot(config: ApiGatewayConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        // Every queue is registered: the gateway produces to some and inspects all of them.
        GatewayConfigModule.forRoot(config),
        PlatformModule.forRoot({ appName: 'api-gateway', config, queues: ALL_QUEUES }),
        AuthModule.forRoot(config),
        BroadcastModule.forRoot(config),
      ],
      controllers: API_CONTROLLERS,
      providers: [
        { provide: APP_FILTER, useClass: HttpErrorFilter },
        BuildingsService,
        RoutersService,
        DevicesService,
        SubscribersService,
        IncidentsService,
        AvailabilityService,
        TopologyService,
        LiveCheckService,
        LiveCheckStreamService,
        FeedService,
      ],
    };
  }
}
