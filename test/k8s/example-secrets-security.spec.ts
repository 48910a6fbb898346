// Issue 15, item 8: the example secrets (k8s/secrets.example.env) must not run anything. Every app,
// given them as a cluster would (with the shared ConfigMap), refuses to start, naming each
// placeholder variable and never printing its value.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, type CommonEnv } from '@isp/platform';
import { loadApiGatewayConfig } from '../../apps/api-gateway/src/config/api-gateway.config';
import { loadDiagnosticsConfig } from '../../apps/diagnostics/src/config/diagnostics.config';
import { loadNotifierConfig } from '../../apps/notifier/src/config/notifier.config';
import { loadProvisioningConfig } from '../../apps/provisioning/src/config/provisioning.config';
import { loadWebhookIngestConfig } from '../../apps/webhook-ingest/src/config/webhook-ingest.config';

const K8S = join(__dirname, '..', '..', 'k8s');

function envFile(path: string): Record<string, string> {
  const lines = readFileSync(path, 'utf8').split('\n').filter((l) => l.trim() && !l.trimStart().startsWith('#'));
  return Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
}

const APPS: [string, (env: Record<string, string>) => CommonEnv, string[]][] = [
  ['api-gateway', loadApiGatewayConfig, ['MONGO_URL', 'REDIS_URL', 'SECRETS_KEYS', 'JWT_SECRET', 'ADMIN_PASSWORD']],
  ['webhook-ingest', loadWebhookIngestConfig, ['MONGO_URL', 'REDIS_URL', 'SECRETS_KEYS']],
  ['diagnostics', loadDiagnosticsConfig, ['MONGO_URL', 'REDIS_URL', 'SECRETS_KEYS']],
  ['provisioning', loadProvisioningConfig, ['MONGO_URL', 'REDIS_URL', 'SECRETS_KEYS']],
  ['notifier', loadNotifierConfig, ['MONGO_URL', 'REDIS_URL', 'SECRETS_KEYS']],
];

describe('the example Kubernetes secrets are refused at start-up (security)', () => {
  const example = envFile(join(K8S, 'secrets.example.env'));
  const config = envFile(join(K8S, 'base', 'config.env'));

  it.each(APPS)('%s refuses every placeholder it reads, by name, without echoing it', (_app, load, placeholders) => {
    let err: unknown;
    try {
      load({ ...config, ...example });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const problems = (err as ConfigError).problems;
    expect(problems.map((p) => p.slice(0, p.indexOf(':'))).sort()).toEqual([...placeholders].sort());
    for (const p of problems) expect(p).toMatch(/holds a placeholder/);
    const text = (err as ConfigError).message;
    for (const name of placeholders) expect(text).not.toContain(example[name]);
    expect(text).not.toMatch(/:CHANGE-ME@|CHANGE-ME-example/); // the URLs' passwords, the JWT secret, the admin password
  });
});
