import { Module } from '@nestjs/common';
import { HandOffService } from './hand-off.service';
import { IncidentService } from './incident.service';
import { RouterStateCache } from './router-state-cache.service';

@Module({ providers: [IncidentService, HandOffService, RouterStateCache], exports: [IncidentService, HandOffService, RouterStateCache] })
export class IncidentsModule {}
