import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { ALL_QUEUES } from '@isp/domain';
import { PlatformModule } from '@isp/platform';
import { AdminModule } from './admin/admin.module';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { AvailabilityModule } from './availability/availability.module';
import { BuildingsModule } from './buildings/buildings.module';
import { HttpErrorFilter } from './common/http-error.filter';
import type { ApiGatewayConfig } from './config/api-gateway.config';
import { ContactsModule } from './contacts/contacts.module';
import { CoverageModule } from './coverage-report/coverage.module';
import { DevicesModule } from './devices/devices.module';
import { FeedModule } from './feed/feed.module';
import { IncidentsModule } from './incidents/incidents.module';
import { LiveCheckModule } from './live-check/live-check.module';
import { MaintenanceModule } from './maintenance/maintenance.module';
import { ReportsModule } from './reports/reports.module';
import { RetentionModule } from './retention/retention.module';
import { PlansModule } from './plans/plans.module';
import { RoutersModule } from './routers/routers.module';
import { SubscribersModule } from './subscribers/subscribers.module';
import { TopologyModule } from './topology/topology.module';
import { UsersModule } from './users/users.module';

/** The admin API's feature modules, one per folder. */
const FEATURE_MODULES = [
  BuildingsModule,
  RoutersModule,
  DevicesModule,
  SubscribersModule,
  PlansModule,
  IncidentsModule,
  AvailabilityModule,
  ReportsModule,
  TopologyModule,
  LiveCheckModule,
  FeedModule,
  ContactsModule,
  UsersModule,
  AdminModule,
  RetentionModule,
  AuditModule,
  MaintenanceModule,
  CoverageModule,
];

@Module({})
export class AppModule {
  static forRoot(config: ApiGatewayConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        // The platform (config by class, every queue: the gateway produces to some and inspects all
        // of them, broadcasts) and auth are global; the feature modules use them.
        PlatformModule.forRoot({ appName: 'api-gateway', config, queues: ALL_QUEUES }),
        AuthModule.forRoot(config),
        ...FEATURE_MODULES,
      ],
      providers: [{ provide: APP_FILTER, useClass: HttpErrorFilter }],
    };
  }
}
