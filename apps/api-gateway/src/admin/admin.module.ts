import { Module } from '@nestjs/common';
import { QueuesController } from './queues.controller';

/** Queue inspection for admins (Bull Board itself is a Fastify plugin mounted by the gateway: bull-board.ts). */
@Module({ controllers: [QueuesController] })
export class AdminModule {}
