import { Module } from '@nestjs/common';
import { ReportsController } from './reports.controller';
import { ReportsService } from './reports.service';

/** SLA reports per subscriber, building and router, by month of the ISP's time zone. */
@Module({ controllers: [ReportsController], providers: [ReportsService] })
export class ReportsModule {}
