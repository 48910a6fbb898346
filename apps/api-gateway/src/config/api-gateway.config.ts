import { CommonEnv, loadConfig } from '@isp/domain';

/** api-gateway's configuration: the only reader of process.env in this app. */
export class ApiGatewayConfig extends CommonEnv {
  override PORT = 3000;
}

export function loadApiGatewayConfig(env: Record<string, string | undefined> = process.env): ApiGatewayConfig {
  return loadConfig(ApiGatewayConfig, env);
}
