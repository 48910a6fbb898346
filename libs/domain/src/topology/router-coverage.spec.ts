import { isMonitoringNotice, isSilent, judgeCoverage, lastWebhooksFrom, type CoverageFacts } from './router-coverage';

const NOW = 1_000_000_000;
const MIN5 = 300_000;
const healthy: CoverageFacts = {
  now: NOW,
  lastWebhookAt: NOW - 1000,
  lastAnsweredAt: NOW - 1000,
  createdAt: NOW - 10 * MIN5,
  silentAfterMs: MIN5,
  hasWebhookToken: true,
  rosVersionObservedAt: NOW - 1000,
  scriptsVerifiedAt: NOW - 1000,
  scriptsMissing: [],
  scriptConflicts: [],
  devicesWithoutNetwatch: 0,
  subscribersWithoutStatusSource: 0,
  namesRefused: 0,
};

describe('router coverage', () => {
  it('a router that reports everything and answers is covered', () => {
    expect(judgeCoverage(healthy)).toEqual({ verdict: 'covered', reasons: [] });
  });

  it('either a webhook or an API answer within the window keeps a router from being silent', () => {
    expect(isSilent({ ...healthy, lastWebhookAt: undefined })).toBe(false);
    expect(isSilent({ ...healthy, lastAnsweredAt: NOW - 2 * MIN5 })).toBe(false);
    expect(isSilent({ ...healthy, lastWebhookAt: NOW - MIN5, lastAnsweredAt: NOW - 2 * MIN5 })).toBe(true);
  });

  it('a router registered moments ago has not been silent long enough; one never heard of since is', () => {
    expect(isSilent({ now: NOW, createdAt: NOW - 1000, silentAfterMs: MIN5 })).toBe(false);
    expect(isSilent({ now: NOW, createdAt: NOW - MIN5, silentAfterMs: MIN5 })).toBe(true);
    expect(isSilent({ now: NOW, silentAfterMs: MIN5 })).toBe(true);
  });

  it('silent wins over every degraded reason', () => {
    const j = judgeCoverage({ ...healthy, lastWebhookAt: undefined, lastAnsweredAt: undefined, createdAt: NOW - MIN5, hasWebhookToken: false });
    expect(j.verdict).toBe('silent');
    expect(j.reasons).toEqual(['no webhook and no API answer for 300 s']);
  });

  it('names every reason a router is degraded', () => {
    const j = judgeCoverage({
      ...healthy,
      rosVersionObservedAt: undefined,
      scriptsMissing: ['profile default: on-up'],
      devicesWithoutNetwatch: 2,
      subscribersWithoutStatusSource: 1,
      namesRefused: 1,
    });
    expect(j.verdict).toBe('degraded');
    expect(j.reasons).toHaveLength(5);
    expect(j.reasons.join('\n')).toMatch(/version not yet reported/);
    expect(j.reasons.join('\n')).toMatch(/profile default: on-up/);
    expect(judgeCoverage({ ...healthy, hasWebhookToken: false }).reasons).toEqual(['no webhook token: the snitch scripts cannot be installed']);
    expect(judgeCoverage({ ...healthy, scriptsVerifiedAt: undefined }).reasons).toEqual(['snitch scripts never verified by a router pass']);
  });

  it('reads the last-webhook hash by kind and ignores anything else', () => {
    expect(lastWebhooksFrom({ 'ppp-status': '1000', netwatch: 'x', other: '5' })).toEqual({ 'ppp-status': new Date(1000) });
    expect(isMonitoringNotice('router-silent')).toBe(true);
    expect(isMonitoringNotice('monitoring-degraded')).toBe(true);
    expect(isMonitoringNotice('router')).toBe(false);
  });
});
