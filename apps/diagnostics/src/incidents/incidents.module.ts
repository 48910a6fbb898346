import { Module } from '@nestjs/common';
import { ChangeAnnouncerService } from './change-announcer.service';
import { IncidentLifecycleService } from './incident-lifecycle.service';
import { RouterStateCache } from './router-state-cache.service';
import { UpMarks } from './up-marks.service';

@Module({ providers: [IncidentLifecycleService, ChangeAnnouncerService, RouterStateCache, UpMarks], exports: [IncidentLifecycleService, ChangeAnnouncerService, RouterStateCache, UpMarks] })
export class IncidentsModule {}
