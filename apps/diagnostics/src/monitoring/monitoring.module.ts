import { Module } from '@nestjs/common';
import { HeartbeatModule } from '../heartbeat/heartbeat.module';
import { IncidentsModule } from '../incidents/incidents.module';
import { DiagnosisService } from './diagnosis.service';
import { LeftoverReprobeService } from './leftover-reprobe.service';
import { MonitoringProcessor } from './monitoring.processor';
import { PendingFacts } from './pending-facts';
import { StatusEventService } from './status-event.service';

@Module({ imports: [IncidentsModule, HeartbeatModule], providers: [PendingFacts, StatusEventService, DiagnosisService, LeftoverReprobeService, MonitoringProcessor] })
export class MonitoringModule {}
