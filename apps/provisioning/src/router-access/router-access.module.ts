import { Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { Logger } from '@nestjs/common';
import { MikrotikRouterRepository } from '@isp/data';
import { AppMetrics, exportPoolMetrics, SECRET_BOX } from '@isp/platform';
import { SecretBox } from '@isp/domain';
import { RouterConnectionPool, routerEndpointResolver } from '@isp/routeros';
import { ProvisioningConfig } from '../config/provisioning.config';
import { PoolRouterApi } from './pool-router-api';
import { ROUTER_API, RouterCallCounter } from './router-api';

class PoolCloser implements OnApplicationShutdown {
  constructor(@Inject(RouterConnectionPool) private readonly pool: RouterConnectionPool) {}
  async onApplicationShutdown(): Promise<void> {
    await this.pool.close();
  }
}

/**
 * The router connection pool for this process (one connection per router, found in the
 * database on first use; the password is decrypted only while logging in) and the RouterApi
 * port over it.
 */
@Module({
  providers: [
    RouterCallCounter,
    {
      provide: RouterConnectionPool,
      inject: [ProvisioningConfig, SECRET_BOX, MikrotikRouterRepository, AppMetrics],
      useFactory: (config: ProvisioningConfig, box: SecretBox, routers: MikrotikRouterRepository, metrics: AppMetrics) => {
        const logger = new Logger('RouterPool');
        const pool = new RouterConnectionPool({
          maxConcurrentPerRouter: config.ROUTER_MAX_CONCURRENT,
          callTimeoutMs: config.ROUTER_CALL_TIMEOUT_MS,
          connectTimeoutMs: config.ROUTER_CONNECT_TIMEOUT_MS,
          breakerCooldownMs: config.ROUTER_BREAKER_COOLDOWN_MS,
          backoffMaxMs: Math.min(30_000, config.ROUTER_BREAKER_COOLDOWN_MS),
          logger: { warn: (m) => logger.warn(m), log: (m) => logger.log(m) },
          resolveEndpoint: routerEndpointResolver(routers, box),
        });
        exportPoolMetrics(metrics, pool);
        return pool;
      },
    },
    PoolCloser,
    { provide: ROUTER_API, inject: [RouterConnectionPool, RouterCallCounter], useFactory: (pool: RouterConnectionPool, c: RouterCallCounter) => new PoolRouterApi(pool, c) },
  ],
  exports: [ROUTER_API, RouterConnectionPool, RouterCallCounter],
})
export class RouterAccessModule {}
