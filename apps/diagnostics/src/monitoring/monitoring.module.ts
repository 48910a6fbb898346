import { Module } from '@nestjs/common';
import { HeartbeatModule } from '../heartbeat/heartbeat.module';
import { IncidentsModule } from '../incidents/incidents.module';
import { BurstTrigger } from './burst-trigger.service';
import { DiagnosisService } from './diagnosis.service';
import { LeftoverReprobeService } from './leftover-reprobe.service';
import { FlappingService } from './flapping.service';
import { MonitoringProcessor } from './monitoring.processor';
import { StatusEventService } from './status-event.service';
import { SubjectHistory } from './subject-history';

@Module({ imports: [IncidentsModule, HeartbeatModule], providers: [BurstTrigger, SubjectHistory, FlappingService, StatusEventService, DiagnosisService, LeftoverReprobeService, MonitoringProcessor] })
export class MonitoringModule {}
