import { Module } from '@nestjs/common';
import { IncidentsModule } from '../incidents/incidents.module';
import { HeartbeatService } from './heartbeat.service';
import { IncidentRecheckService } from './incident-recheck.service';
import { PresenceReconcileService } from './presence-reconcile.service';
import { RouterLiveness } from './router-liveness.service';
import { RouterSilenceService } from './router-silence.service';

@Module({ imports: [IncidentsModule], providers: [HeartbeatService, IncidentRecheckService, RouterLiveness, PresenceReconcileService, RouterSilenceService], exports: [HeartbeatService, IncidentRecheckService, RouterLiveness, RouterSilenceService] })
export class HeartbeatModule {}
