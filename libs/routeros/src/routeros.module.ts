import { Global, Inject, Module, type DynamicModule, type OnModuleDestroy, type Provider } from '@nestjs/common';
import { RouterConnectionPool, type PoolOptions } from './pool/router-connection-pool';

export const ROUTEROS_POOL_OPTIONS = Symbol('ROUTEROS_POOL_OPTIONS');

export interface RouterOsModuleOptions {
  /** Build pool options, e.g. with a resolveEndpoint that reads the router and decrypts its password via SecretBox. */
  useFactory: (...deps: never[]) => Partial<PoolOptions> | Promise<Partial<PoolOptions>>;
  inject?: (string | symbol | (abstract new (...args: never[]) => unknown))[];
}

/** One RouterConnectionPool per process (it is the only thing that talks to routers); closed on shutdown. */
@Global()
@Module({})
export class RouterOsModule implements OnModuleDestroy {
  constructor(@Inject(RouterConnectionPool) private readonly pool: RouterConnectionPool) {}

  static forRootAsync(options: RouterOsModuleOptions): DynamicModule {
    const providers: Provider[] = [
      { provide: ROUTEROS_POOL_OPTIONS, useFactory: options.useFactory, inject: options.inject ?? [] },
      { provide: RouterConnectionPool, useFactory: (o: Partial<PoolOptions>) => new RouterConnectionPool(o), inject: [ROUTEROS_POOL_OPTIONS] },
    ];
    return { module: RouterOsModule, providers, exports: [RouterConnectionPool] };
  }

  async onModuleDestroy(): Promise<void> {
    await this.pool.close();
  }
}
