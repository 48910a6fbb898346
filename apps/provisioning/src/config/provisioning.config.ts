import { CommonEnv, loadConfig } from '@isp/domain';

/** provisioning's configuration: the only reader of process.env in this app. */
export class ProvisioningConfig extends CommonEnv {
  override PORT = 3003;
}

export function loadProvisioningConfig(env: Record<string, string | undefined> = process.env): ProvisioningConfig {
  return loadConfig(ProvisioningConfig, env);
}
