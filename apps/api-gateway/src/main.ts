import 'reflect-metadata';
import { exitOnConfigError } from '@isp/platform';
import { loadApiGatewayConfig, type ApiGatewayConfig } from './config/api-gateway.config';
import { startGateway } from './gateway';

async function main() {
  let config: ApiGatewayConfig;
  try {
    config = loadApiGatewayConfig();
  } catch (err) {
    exitOnConfigError('api-gateway', err);
  }
  await startGateway(config);
}

void main();
