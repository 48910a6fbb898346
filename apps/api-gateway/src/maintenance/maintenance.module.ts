import { Module } from '@nestjs/common';
import { MaintenanceScheduler } from './maintenance-scheduler';
import { MaintenanceController } from './maintenance.controller';
import { MaintenanceService } from './maintenance.service';

@Module({ controllers: [MaintenanceController], providers: [MaintenanceService, MaintenanceScheduler] })
export class MaintenanceModule {}
