import type { FastifyInstance } from 'fastify';
import type { AppMetrics } from './app-metrics';

/**
 * HTTP requests by route template (`/api/v1/routers/:id`, never the concrete URL: one series per
 * route, not per object), method and status, with a latency histogram. A request that matched no
 * route counts as `unmatched`.
 */
export function instrumentHttp(fastify: FastifyInstance, metrics: AppMetrics): void {
  const requests = metrics.counter('http_requests_total', 'HTTP requests answered, by route template, method and status', ['route', 'method', 'status']);
  const duration = metrics.histogram('http_request_duration_seconds', 'HTTP request latency by route template and method', ['route', 'method']);
  fastify.addHook('onResponse', (req, reply, done) => {
    const route = req.routeOptions?.url ?? 'unmatched';
    requests.inc({ route, method: req.method, status: String(reply.statusCode) });
    duration.observe({ route, method: req.method }, reply.elapsedTime / 1000);
    done();
  });
}
