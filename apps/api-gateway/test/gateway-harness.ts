// Starts the gateway in-process against the test Redis and Mongo, with one logged-in user per role.
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { getModelToken } from '@nestjs/mongoose';
import { SecretBox } from '@isp/domain';
import bcrypt from 'bcryptjs';
import type { Model } from 'mongoose';
import { testMongoUrl, testQueuePrefix, testRedisUrl } from '../../../test/support';
import { ADMIN_USER_MODEL, type AdminUser } from '../src/auth/admin-user.schema';
import { ROLES, type Role } from '../src/auth/roles';
import { loadApiGatewayConfig, type ApiGatewayConfig } from '../src/config/api-gateway.config';
import { startGateway } from '../src/gateway';

export const ADMIN_EMAIL = 'first.admin@example.net';
export const ADMIN_PASSWORD = 'correct horse battery staple';

/** Response bodies are whatever JSON the route sent; specs read them loosely. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;
export interface HttpResult {
  status: number;
  body: Json;
  headers: Record<string, unknown>;
}

export interface Harness {
  app: NestFastifyApplication;
  config: ApiGatewayConfig;
  baseUrl: string;
  tokens: Record<Role, string>;
  /** Emails of the per-role users (password = ADMIN_PASSWORD). */
  emails: Record<Role, string>;
  request(method: string, url: string, opts?: { token?: string; body?: unknown; headers?: Record<string, string> }): Promise<HttpResult>;
  close(): Promise<void>;
}

export async function startHarness(name: string, env: Record<string, string> = {}): Promise<Harness> {
  const config = loadApiGatewayConfig({
    MONGO_URL: testMongoUrl(name),
    REDIS_URL: testRedisUrl(),
    QUEUE_PREFIX: testQueuePrefix(name),
    SECRETS_KEYS: SecretBox.generateKey('t1'),
    JWT_SECRET: 'test-secret-test-secret-test-secret-0123',
    ADMIN_EMAIL,
    ADMIN_PASSWORD,
    BCRYPT_ROUNDS: '4',
    LOG_LEVEL: 'silent',
    PORT: '0',
    HOST: '127.0.0.1',
    ...env,
  });
  const app = await startGateway(config);
  const address = app.getHttpServer().address() as { port: number };
  const baseUrl = `http://127.0.0.1:${address.port}`;

  // Real HTTP (light-my-request's inject pulls an ESM-only module Jest cannot load).
  const request: Harness['request'] = async (method, url, opts = {}) => {
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let payload: string | undefined;
    if (opts.body !== undefined) {
      payload = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
      headers['content-type'] ??= 'application/json';
    }
    const res = await fetch(baseUrl + url, { method, headers, body: payload });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      /* not JSON */
    }
    return { status: res.status, body, headers: Object.fromEntries(res.headers.entries()) };
  };

  try {
    // One user per role below admin, created straight in the database, then logged in over HTTP.
    const users = app.get<Model<AdminUser>>(getModelToken(ADMIN_USER_MODEL));
    const hash = await bcrypt.hash(ADMIN_PASSWORD, 4);
    const emails = {} as Record<Role, string>;
    const tokens = {} as Record<Role, string>;
    for (const role of ROLES) {
      const email = role === 'admin' ? ADMIN_EMAIL : `${role}@example.net`;
      emails[role] = email;
      if (role !== 'admin') await users.create({ email, passwordHash: hash, role, buildings: [] });
      const res = await request('POST', '/api/v1/auth/login', { body: { email, password: ADMIN_PASSWORD } });
      if (res.status !== 200) throw new Error(`login as ${role} failed: ${res.status} ${JSON.stringify(res.body)}`);
      tokens[role] = res.body.accessToken;
    }
    return { app, config, baseUrl, tokens, emails, request, close: () => app.close() };
  } catch (err) {
    await app.close();
    throw err;
  }
}
