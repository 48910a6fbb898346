import { Module } from '@nestjs/common';
import { ChangeAnnouncerService } from './change-announcer.service';
import { DegradedMonitoringService } from './degraded-monitoring.service';
import { IncidentLifecycleService } from './incident-lifecycle.service';
import { RouterStateCache } from './router-state-cache.service';
import { OutageMarks } from './outage-marks.service';
import { UpMarks } from './up-marks.service';
import { PendingFacts } from '../monitoring/pending-facts';

// PendingFacts lives here with UpMarks: the heartbeat's presence check reads it as the monitoring batches do.
@Module({ providers: [IncidentLifecycleService, DegradedMonitoringService, ChangeAnnouncerService, RouterStateCache, UpMarks, OutageMarks, PendingFacts], exports: [IncidentLifecycleService, DegradedMonitoringService, ChangeAnnouncerService, RouterStateCache, UpMarks, OutageMarks, PendingFacts] })
export class IncidentsModule {}
