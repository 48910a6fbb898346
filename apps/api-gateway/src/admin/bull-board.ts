import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import { getQueueToken } from '@nestjs/bullmq';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ALL_QUEUES } from '@isp/domain';
import type { Queue } from 'bullmq';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasRole, Role, type Principal } from '../auth/roles';
import { FeedTicketService } from '../auth/feed-ticket.service';
import { bearerToken, SessionService, type AccessClaims } from '../auth/session.service';
import { toErrorBody } from '../common/http-error.filter';

export const BULL_BOARD_PATH = '/api/admin/queues';

/** The board's browser session cookie (an opaque id, see FeedTicketService.openBoardSession). */
const BOARD_COOKIE = 'bb_session';

/**
 * Bull Board is a Fastify plugin, outside Nest's guards, so it gets its own admin check: the
 * same session check as the guard (SessionService). A script sends the bearer header; a browser
 * opens `/api/admin/queues?ticket=<POST /api/v1/feed/ticket>` once: the single-use ticket is
 * exchanged for an opaque session in an HttpOnly, Secure, SameSite=Strict cookie scoped to the
 * board (its own asset and API requests carry it), and the browser is redirected to the bare
 * URL. No JWT is accepted in the query string, so none reaches a log, a proxy or the history.
 */
export async function mountBullBoard(app: NestFastifyApplication): Promise<void> {
  const sessions = app.get(SessionService);
  const tickets = app.get(FeedTicketService);
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(BULL_BOARD_PATH);
  createBullBoard({ queues: ALL_QUEUES.map((name) => new BullMQAdapter(app.get<Queue>(getQueueToken(name), { strict: false }))), serverAdapter });
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  const unauthenticated = (reply: FastifyReply, message: string) => reply.code(401).send({ statusCode: 401, error: 'Unauthorized', message });

  /** The claims the request speaks with: header, a ticket being redeemed, or the board cookie. */
  async function claimsOf(req: FastifyRequest, ticket: unknown): Promise<AccessClaims | undefined> {
    const bearer = bearerToken(req.headers.authorization);
    if (bearer) return sessions.claims(bearer);
    if (typeof ticket === 'string') return tickets.redeem(ticket);
    const cookie = new RegExp(`(?:^|;\\s*)${BOARD_COOKIE}=([^;]+)`).exec(req.headers.cookie ?? '')?.[1];
    return cookie ? tickets.boardSession(decodeURIComponent(cookie)) : undefined;
  }

  await fastify.register(async (scope) => {
    scope.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
      const ticket = (req.query as Record<string, unknown> | undefined)?.ticket;
      let p: Principal;
      try {
        const claims = await claimsOf(req, ticket);
        if (!claims) return unauthenticated(reply, typeof ticket === 'string' ? 'Unknown, used or expired ticket' : 'Missing bearer token, ticket or board session');
        p = await sessions.principalFor(claims);
        if (!hasRole(p.role, Role.ADMIN)) return reply.code(403).send({ statusCode: 403, error: 'Forbidden', message: 'Requires role admin' });
        if (typeof ticket === 'string' && !bearerToken(req.headers.authorization)) {
          const id = await tickets.openBoardSession(claims);
          void reply.header('set-cookie', `${BOARD_COOKIE}=${id}; Path=${BULL_BOARD_PATH}; HttpOnly; Secure; SameSite=Strict`);
          return reply.redirect(BULL_BOARD_PATH, 303);
        }
      } catch (err) {
        const out = toErrorBody(err);
        if (out.statusCode >= 500) throw err;
        return reply.code(out.statusCode).send(out);
      }
    });
    await scope.register(serverAdapter.registerPlugin() as never, { prefix: BULL_BOARD_PATH });
  });
}
