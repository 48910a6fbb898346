import { Module } from '@nestjs/common';
import { IncidentsModule } from '../incidents/incidents.module';
import { HeartbeatService } from './heartbeat.service';
import { IncidentRecheckService } from './incident-recheck.service';
import { PresenceReconcileService } from './presence-reconcile.service';
import { RouterLiveness } from './router-liveness.service';

@Module({ imports: [IncidentsModule], providers: [HeartbeatService, IncidentRecheckService, RouterLiveness, PresenceReconcileService], exports: [HeartbeatService, IncidentRecheckService, RouterLiveness] })
export class HeartbeatModule {}
