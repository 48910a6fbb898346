// Issues (or rotates) a router's webhook token and prints it once:
//   node dist/apps/webhook-ingest/src/cli/issue-token.js <routerId|routerName>
// The token goes to stdout alone (for scripts); everything else to stderr.
// Needs MONGO_URL, REDIS_URL, QUEUE_PREFIX and SECRETS_KEYS like the apps.
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import mongoose from 'mongoose';
import { DomainError, QueueName, SecretBox } from '@isp/domain';
import { BroadcastPublisher, createRedisClient, JobProducer, mongoOptions, queueOnUrl, WebhookTokenIssuer } from '@isp/platform';
import { repositoriesOn } from '@isp/data';
import { loadIssueTokenConfig } from '../config/webhook-ingest.config';

// Nest's console logger writes to stdout, which belongs to the token: warnings and errors go to
// stderr, the rest is dropped.
Logger.overrideLogger({
  log: () => undefined,
  warn: (message: unknown) => process.stderr.write(`warning: ${String(message)}\n`),
  error: (message: unknown) => process.stderr.write(`error: ${String(message)}\n`),
});

async function main(): Promise<number> {
  const target = process.argv[2];
  if (!target) {
    process.stderr.write('usage: issue-token <routerId|routerName>\n');
    return 64; // EX_USAGE
  }
  const config = loadIssueTokenConfig();
  const conn = await mongoose.createConnection(config.MONGO_URL, mongoOptions(config)).asPromise();
  const redis = createRedisClient(config.REDIS_URL, { maxRetriesPerRequest: 1 });
  const sync = queueOnUrl(config.REDIS_URL, QueueName.SYNC, config.QUEUE_PREFIX);
  try {
    const service = new WebhookTokenIssuer(repositoriesOn(conn).routers, new SecretBox(config.SECRETS_KEYS), new BroadcastPublisher(redis, config.QUEUE_PREFIX), JobProducer.forQueues([sync]));
    const issued = await service.issueFor(target);
    process.stderr.write(`Webhook token for router "${issued.routerName}" (${issued.routerId}). It is shown only this once; the previous token no longer works.\n`);
    process.stdout.write(`${issued.token}\n`);
    return 0;
  } catch (err) {
    process.stderr.write(`issue-token: ${err instanceof Error ? err.message : String(err)}\n`);
    return err instanceof DomainError ? 1 : 2;
  } finally {
    await Promise.allSettled([redis.quit(), sync.close(), conn.close()]);
  }
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    process.stderr.write(`issue-token: ${err.message}\n`);
    process.exit(2);
  },
);
