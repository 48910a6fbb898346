import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import { getQueueToken } from '@nestjs/bullmq';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ALL_QUEUES } from '@isp/domain';
import type { Queue } from 'bullmq';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasRole, Role, type Principal } from '../auth/roles';
import { bearerToken, SessionService } from '../auth/session.service';
import { toErrorBody } from '../common/http-error.filter';

export const BULL_BOARD_PATH = '/api/admin/queues';

/**
 * Bull Board is a Fastify plugin, outside Nest's guards, so it gets its own admin check: the
 * same session check as the guard (SessionService) on the same JWT (header, or ?access_token= once, which is then kept in an HttpOnly cookie scoped to
 * the board so its own asset and API requests carry it).
 */
export async function mountBullBoard(app: NestFastifyApplication): Promise<void> {
  const sessions = app.get(SessionService);
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(BULL_BOARD_PATH);
  createBullBoard({ queues: ALL_QUEUES.map((name) => new BullMQAdapter(app.get<Queue>(getQueueToken(name), { strict: false }))), serverAdapter });
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  await fastify.register(async (scope) => {
    scope.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
      const query = (req.query as Record<string, unknown> | undefined)?.access_token;
      const cookie = /(?:^|;\s*)bb_token=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
      const token = bearerToken(req.headers.authorization) ?? (typeof query === 'string' ? query : cookie);
      if (!token) return reply.code(401).send({ statusCode: 401, error: 'Unauthorized', message: 'Missing bearer token' });
      let p: Principal;
      try {
        p = await sessions.principal(token);
      } catch (err) {
        const out = toErrorBody(err);
        if (out.statusCode >= 500) throw err;
        return reply.code(out.statusCode).send(out);
      }
      if (!hasRole(p.role, Role.ADMIN)) return reply.code(403).send({ statusCode: 403, error: 'Forbidden', message: 'Requires role admin' });
      if (typeof query === 'string') void reply.header('set-cookie', `bb_token=${encodeURIComponent(query)}; Path=${BULL_BOARD_PATH}; HttpOnly; SameSite=Strict`);
    });
    await scope.register(serverAdapter.registerPlugin() as never, { prefix: BULL_BOARD_PATH });
  });
}
