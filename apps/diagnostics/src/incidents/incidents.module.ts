import { Module } from '@nestjs/common';
import { HandOffService } from './hand-off.service';
import { IncidentService } from './incident.service';

@Module({ providers: [IncidentService, HandOffService], exports: [IncidentService, HandOffService] })
export class IncidentsModule {}
