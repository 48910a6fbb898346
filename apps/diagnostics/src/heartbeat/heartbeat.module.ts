import { Module } from '@nestjs/common';
import { IncidentsModule } from '../incidents/incidents.module';
import { HeartbeatService } from './heartbeat.service';
import { IncidentRecheckService } from './incident-recheck.service';

@Module({ imports: [IncidentsModule], providers: [HeartbeatService, IncidentRecheckService], exports: [HeartbeatService, IncidentRecheckService] })
export class HeartbeatModule {}
