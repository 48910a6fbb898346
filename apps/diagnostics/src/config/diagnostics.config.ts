import { CommonEnv, loadConfig } from '@isp/domain';

/** diagnostics's configuration: the only reader of process.env in this app. */
export class DiagnosticsConfig extends CommonEnv {
  override PORT = 3002;
}

export function loadDiagnosticsConfig(env: Record<string, string | undefined> = process.env): DiagnosticsConfig {
  return loadConfig(DiagnosticsConfig, env);
}
