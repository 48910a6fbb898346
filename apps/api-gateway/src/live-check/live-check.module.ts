import { Module } from '@nestjs/common';
import { LiveCheckController } from './live-check.controller';
import { LiveCheckService } from './live-check.service';

@Module({ controllers: [LiveCheckController], providers: [LiveCheckService] })
export class LiveCheckModule {}
