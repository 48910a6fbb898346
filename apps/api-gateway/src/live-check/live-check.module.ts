import { Module } from '@nestjs/common';
import { LiveCheckStreamController } from './live-check-stream.controller';
import { LiveCheckStreamService } from './live-check-stream.service';
import { LiveCheckController } from './live-check.controller';
import { LiveCheckService } from './live-check.service';

@Module({ controllers: [LiveCheckController, LiveCheckStreamController], providers: [LiveCheckService, LiveCheckStreamService] })
export class LiveCheckModule {}
