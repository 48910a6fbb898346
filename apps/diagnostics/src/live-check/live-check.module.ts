import { Module } from '@nestjs/common';
import { LiveCheckProcessor } from './live-check.processor';
import { LiveCheckRunner } from './live-check.runner';

@Module({ providers: [LiveCheckRunner, LiveCheckProcessor] })
export class LiveCheckModule {}
