import type { INestApplication } from '@nestjs/common';
import { AppModule } from '../../../apps/notifier/src/app.module';
import { loadNotifierConfig } from '../../../apps/notifier/src/config/notifier.config';
import { bootstrapApp } from '@isp/platform';
import { SecretBox } from '@isp/domain';
import { testMongoUrl, testQueuePrefix, testRedisUrl } from '../../../test/support';

describe('platform: an app boots in-process with Mongo, Redis and health endpoints', () => {
  let app: INestApplication;

  beforeAll(async () => {
    const config = loadNotifierConfig({
      MONGO_URL: testMongoUrl('platform'),
      REDIS_URL: testRedisUrl(),
      QUEUE_PREFIX: testQueuePrefix('platform'),
      SECRETS_KEYS: SecretBox.generateKey('k1'),
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
    });
    app = await bootstrapApp(AppModule.forRoot(config), { config });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('is ready when Mongo and Redis answer', async () => {
    const res = await fetch(`${await app.getUrl()}/health/ready`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { info: Record<string, { status: string }> };
    expect(body.info.mongo.status).toBe('up');
    expect(body.info.redis.status).toBe('up');
  });
});
