import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AckLinkController } from './ack-link.controller';
import { ACK_LINK_USE_MODEL, AckLinkUseSchema } from './ack-link-use.schema';
import { AckLinkService } from './ack-link.service';
import { IncidentTimelineService } from './incident-timeline.service';
import { IncidentsController } from './incidents.controller';
import { IncidentsService } from './incidents.service';

@Module({
  imports: [MongooseModule.forFeature([{ name: ACK_LINK_USE_MODEL, schema: AckLinkUseSchema }])],
  controllers: [IncidentsController, AckLinkController],
  providers: [IncidentsService, IncidentTimelineService, AckLinkService],
})
export class IncidentsModule {}
