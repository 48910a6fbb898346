import { DynamicModule, Module } from '@nestjs/common';
import { GATEWAY_CONFIG } from '../gateway.tokens';
import type { ApiGatewayConfig } from './api-gateway.config';

/** Makes the gateway's typed config injectable everywhere (GATEWAY_CONFIG). */
@Module({})
export class GatewayConfigModule {
  static forRoot(config: ApiGatewayConfig): DynamicModule {
    return { module: GatewayConfigModule, global: true, providers: [{ provide: GATEWAY_CONFIG, useValue: config }], exports: [GATEWAY_CONFIG] };
  }
}
