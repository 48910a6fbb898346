import { Module } from '@nestjs/common';
import { ChangeAnnouncerService } from './change-announcer.service';
import { IncidentLifecycleService } from './incident-lifecycle.service';
import { RouterStateCache } from './router-state-cache.service';

@Module({ providers: [IncidentLifecycleService, ChangeAnnouncerService, RouterStateCache], exports: [IncidentLifecycleService, ChangeAnnouncerService, RouterStateCache] })
export class IncidentsModule {}
