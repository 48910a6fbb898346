import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { ClientsModule, Transport } from '@nestjs/microservices';
import { PLATFORM_CONFIG, redisOptionsFromUrl, type CommonEnv } from '@isp/platform';
import { QueueName } from '@isp/domain';
import { BROADCAST_CLIENT, WebhookTokenService } from './webhook-token.service';

/**
 * Token issuing for whoever needs it (the api-gateway imports this module). Needs the platform
 * module in the importing app (repositories, SECRET_BOX, PLATFORM_CONFIG, BullMQ root).
 */
@Module({
  imports: [
    BullModule.registerQueue({ name: QueueName.SYNC }),
    ClientsModule.registerAsync([
      {
        name: BROADCAST_CLIENT,
        inject: [PLATFORM_CONFIG],
        useFactory: (config: CommonEnv) => ({ transport: Transport.REDIS, options: redisOptionsFromUrl(config.REDIS_URL) }),
      },
    ]),
  ],
  providers: [WebhookTokenService],
  exports: [WebhookTokenService],
})
export class WebhookTokensModule {}
