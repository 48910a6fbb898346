import { SecretBox } from '@isp/domain';
import { loadProvisioningConfig } from './provisioning.config';

describe('ProvisioningConfig', () => {
  const base = { SECRETS_KEYS: SecretBox.generateKey('k') };

  it('has defaults for everything but the keyring', () => {
    const c = loadProvisioningConfig(base);
    expect(c).toMatchObject({ RECONCILE_EVERY_MS: 900000, RECONCILE_SCHEDULER: true, SUSPENDED_PROFILE: 'suspended', ORPHAN_POLICY: 'remove', ISSUE_MISSING_WEBHOOK_TOKEN: true });
  });

  it('parses booleans and numbers from strings', () => {
    const c = loadProvisioningConfig({ ...base, RECONCILE_SCHEDULER: 'false', ISSUE_MISSING_WEBHOOK_TOKEN: 'no', RECONCILE_EVERY_MS: '60000' });
    expect(c).toMatchObject({ RECONCILE_SCHEDULER: false, ISSUE_MISSING_WEBHOOK_TOKEN: false, RECONCILE_EVERY_MS: 60000 });
  });

  it('names every bad variable', () => {
    expect(() => loadProvisioningConfig({ ...base, INGEST_PUBLIC_URL: 'ftp://x', SUSPEND_MODE: 'delete' })).toThrow(/INGEST_PUBLIC_URL[\s\S]*SUSPEND_MODE/);
  });

  it('takes a deployment id and a drift policy per kind; adopt only where the router value maps onto the subscriber', () => {
    expect(loadProvisioningConfig({ ...base, DEPLOYMENT_ID: 'staging', DRIFT_POLICY: 'caller-id=adopt,password=report' })).toMatchObject({ DEPLOYMENT_ID: 'staging', DRIFT_POLICY: 'caller-id=adopt,password=report' });
    expect(() => loadProvisioningConfig({ ...base, DEPLOYMENT_ID: 'Prod Site' })).toThrow(/DEPLOYMENT_ID/);
    expect(() => loadProvisioningConfig({ ...base, DRIFT_POLICY: 'password=adopt' })).toThrow(/DRIFT_POLICY/);
    expect(() => loadProvisioningConfig({ ...base, DRIFT_POLICY: 'profile=delete' })).toThrow(/DRIFT_POLICY/);
  });
});
