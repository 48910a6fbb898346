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

  it('a bad file names itself and its problems', () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'rules:\n  - name: x\n    match: { levels: [7] }\n    page: null\n');
    expect(() => loadRoutingRules(file)).toThrow(/bad\.yaml.*match\.levels/);
  });
});
