import { Module } from '@nestjs/common';
import { IncidentsModule } from '../incidents/incidents.module';
import { HeartbeatService } from './heartbeat.service';

@Module({ imports: [IncidentsModule], providers: [HeartbeatService], exports: [HeartbeatService] })
export class HeartbeatModule {}
