import 'reflect-metadata';
import { bootstrapApp, exitOnConfigError } from '@isp/domain';
import { AppModule } from './app.module';
import { loadApiGatewayConfig, type ApiGatewayConfig } from './config/api-gateway.config';

async function main() {
  let config: ApiGatewayConfig;
  try {
    config = loadApiGatewayConfig();
  } catch (err) {
    exitOnConfigError('api-gateway', err);
  }
  await bootstrapApp(AppModule.forRoot(config), { config, broadcasts: true });
}

void main();
