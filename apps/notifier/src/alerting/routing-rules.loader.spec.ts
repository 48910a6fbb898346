import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_ROUTING_RULES } from '@isp/domain';
import { loadRoutingRules } from './routing-rules.loader';

describe('routing rules file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rules-'));

  it('defaults when no file is configured', () => expect(loadRoutingRules(undefined).rules).toBe(DEFAULT_ROUTING_RULES));

  it('reads YAML (and so JSON)', () => {
    const file = join(dir, 'rules.yaml');
    writeFileSync(file, 'rules:\n  - name: all to admins\n    match: {}\n    page: { contactLevel: 3, scope: all, channels: [sms], priority: high }\n    escalateAfterSec: null\n');
    expect(loadRoutingRules(file).rules.rules[0]).toMatchObject({ name: 'all to admins', dashboard: true, escalateAfterSec: null, page: { respectOnDuty: true } });
    const json = join(dir, 'rules.json');
    writeFileSync(json, JSON.stringify(DEFAULT_ROUTING_RULES));
    expect(loadRoutingRules(json).rules).toEqual(DEFAULT_ROUTING_RULES);
  });

  it('the example file in deploy/ is valid, and selects the Telegram, WhatsApp and Teams channels', () => {
    const { rules } = loadRoutingRules(join(__dirname, '../../../../deploy/routing-rules.example.yaml')).rules;
    expect(rules.map((r) => r.name)).toHaveLength(5);
    const channels = new Set(rules.flatMap((r) => r.page?.channels ?? []));
    for (const ch of ['sms', 'email', 'telegram', 'whatsapp', 'teams']) expect(channels).toContain(ch);
    expect(rules.find((r) => r.match.rootCauseTypes?.includes('backhaul'))).toMatchObject({ escalateAfterSec: 600, page: { respectOnDuty: true } });
  });

  it('a channel the notifier does not know is named', () => {
    const file = join(dir, 'pager.yaml');
    writeFileSync(file, 'rules:\n  - name: x\n    match: {}\n    page: { contactLevel: 3, scope: all, channels: [telegram, pager], priority: high }\n');
    expect(() => loadRoutingRules(file)).toThrow(/page\.channels: non-empty list of sms, email, chat, telegram, whatsapp, teams/);
  });

  it('a bad file names itself and its problems', () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'rules:\n  - name: x\n    match: { levels: [7] }\n    page: null\n');
    expect(() => loadRoutingRules(file)).toThrow(/bad\.yaml.*match\.levels/);
  });
});
