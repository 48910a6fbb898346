import { CommonEnv, loadConfig } from '@isp/domain';

/** notifier's configuration: the only reader of process.env in this app. */
export class NotifierConfig extends CommonEnv {
  override PORT = 3004;
}

export function loadNotifierConfig(env: Record<string, string | undefined> = process.env): NotifierConfig {
  return loadConfig(NotifierConfig, env);
}
