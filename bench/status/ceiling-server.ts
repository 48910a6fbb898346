/**
 * The practical ceiling for the status benchmark: a bare Fastify route answering
 * GET /api/v1/subscribers/:id/status with the same reads as the gateway (readSubscriberStatus on
 * the same repositories, mongoose with the same connection options from the same validated config)
 * behind the same authentication (SessionService: the HS256 signature and expiry, the account read
 * from the same store through the same short cache, the session version, then the role check),
 * answering the same JSON. No Nest, no validation pipe, no interceptors, no request logging, no
 * metrics. Started as a child process by status.bench.ts with the gateway's environment.
 */
import 'reflect-metadata';
import Fastify from 'fastify';
import mongoose, { isValidObjectId } from 'mongoose';
import { JwtService } from '@nestjs/jwt';
import { repositoriesOn } from '@isp/data';
import { NotFoundError, UnauthenticatedError } from '@isp/domain';
import { mongoOptions } from '@isp/platform';
import { ADMIN_USER_MODEL, AdminUserSchema, type AdminUser } from '../../apps/api-gateway/src/auth/admin-user.schema';
import { AdminUserRepository } from '../../apps/api-gateway/src/auth/admin-user.repository';
import { jwtOptions } from '../../apps/api-gateway/src/auth/auth.module';
import { hasRole, Role } from '../../apps/api-gateway/src/auth/roles';
import { bearerToken, SessionService } from '../../apps/api-gateway/src/auth/session.service';
import { loadApiGatewayConfig } from '../../apps/api-gateway/src/config/api-gateway.config';
import { readSubscriberStatus } from '../../apps/api-gateway/src/subscribers/subscriber-status';

async function main() {
  const config = loadApiGatewayConfig();
  const conn = await mongoose.createConnection(config.MONGO_URL, mongoOptions(config)).asPromise();
  const repos = repositoriesOn(conn);
  const sessions = new SessionService(
    new JwtService(jwtOptions(config)),
    new AdminUserRepository(conn.model<AdminUser>(ADMIN_USER_MODEL, AdminUserSchema)),
  );
  const app = Fastify();
  app.get('/', async () => ({ ok: true }));
  app.get<{ Params: { id: string } }>('/api/v1/subscribers/:id/status', async (req, reply) => {
    const token = bearerToken(req.headers.authorization);
    if (!token) return reply.code(401).send({ message: 'Missing bearer token' });
    try {
      const principal = await sessions.principalFor(await sessions.claims(token));
      if (!hasRole(principal.role, Role.SUPPORT)) return reply.code(403).send({ message: `Requires role ${Role.SUPPORT} or higher` });
      if (!isValidObjectId(req.params.id)) return reply.code(400).send({ message: 'id: not an id' });
      return await readSubscriberStatus({ users: repos.subscribers, downtime: repos.downtime, incidents: repos.incidents }, req.params.id);
    } catch (err) {
      if (err instanceof UnauthenticatedError) return reply.code(401).send({ message: err.message });
      if (err instanceof NotFoundError) return reply.code(404).send({ message: err.message });
      throw err;
    }
  });
  const address = await app.listen({ port: config.PORT, host: '127.0.0.1' });
  process.stdout.write(`listening ${new URL(address).port}\n`);
  const stop = async () => {
    await app.close();
    await conn.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
}

void main();
