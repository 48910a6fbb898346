import type { CommonEnv } from '../config/common-env';

type HttpTimeoutEnv = Pick<CommonEnv, 'HTTP_REQUEST_TIMEOUT_MS' | 'HTTP_HEADERS_TIMEOUT_MS' | 'HTTP_CONNECTION_TIMEOUT_MS' | 'HTTP_KEEP_ALIVE_TIMEOUT_MS'>;

/**
 * Fastify's and Node's HTTP server timeouts from the app config (Fastify's defaults leave the
 * request and connection timeouts at 0, so a client trickling its body one byte at a time
 * holds a socket and a request for ever: slowloris).
 *
 * Node enforces the request and headers timeouts only when it sweeps its connections, every
 * `connectionsCheckingInterval` (30 s by default): the sweep runs at a quarter of the shorter
 * timeout, so a request is cut off at most a quarter late. Node refuses a headers timeout above
 * the request timeout, hence the cap.
 */
export function httpTimeouts(env: HttpTimeoutEnv) {
  const requestTimeout = env.HTTP_REQUEST_TIMEOUT_MS;
  const headersTimeout = Math.min(env.HTTP_HEADERS_TIMEOUT_MS, requestTimeout);
  return {
    requestTimeout,
    connectionTimeout: env.HTTP_CONNECTION_TIMEOUT_MS,
    keepAliveTimeout: env.HTTP_KEEP_ALIVE_TIMEOUT_MS,
    http: { requestTimeout, headersTimeout, connectionsCheckingInterval: Math.min(30000, Math.max(25, Math.floor(headersTimeout / 4))) },
  };
}
