import { Module } from '@nestjs/common';
import { AvailabilityController } from './availability.controller';
import { AvailabilityService } from './availability.service';
import { DowntimeController } from './downtime.controller';

/** Availability figures and the downtime logs they are computed from. */
@Module({ controllers: [AvailabilityController, DowntimeController], providers: [AvailabilityService] })
export class AvailabilityModule {}
