import { Module } from '@nestjs/common';
import { LiveCheckProcessor } from './live-check.processor';
import { LiveCheckService } from './live-check.service';

@Module({ providers: [LiveCheckService, LiveCheckProcessor] })
export class LiveCheckModule {}
