import { Types } from 'mongoose';
import { typeFromRoute } from './audit.interceptor';
import { diffDocuments, isSecretKey, maskSecrets, maskString, SECRET_MARK, secretPathsOf } from './audit-mask';

describe('audit masking', () => {
  it('masks values under secret-looking names at any depth, and keeps the names visible', () => {
    const out = maskSecrets({
      name: 'core-1',
      apiPassword: 's3cret-router',
      nested: { password: 'p', passwordHash: '$2b$...', webhookTokenEncrypted: 'enc2:abc', chatWebhook: 'https://hooks.example/T1/B2/xyz' },
      list: [{ token: 't1' }, { apiKey: 'k', api_key: 'k2', secret: 's', authorization: 'Bearer x' }],
    });
    expect(out).toEqual({
      name: 'core-1',
      apiPassword: SECRET_MARK,
      nested: { password: SECRET_MARK, passwordHash: SECRET_MARK, webhookTokenEncrypted: SECRET_MARK, chatWebhook: SECRET_MARK },
      list: [{ token: SECRET_MARK }, { apiKey: SECRET_MARK, api_key: SECRET_MARK, secret: SECRET_MARK, authorization: SECRET_MARK }],
    });
  });

  it('leaves flags, timestamps and absent secrets readable', () => {
    expect(maskSecrets({ hasPassword: true, webhookTokenIssuedAt: new Date('2026-01-02T03:04:05Z'), password: null, sessionVersion: 3 })).toEqual({
      hasPassword: true,
      webhookTokenIssuedAt: '2026-01-02T03:04:05.000Z',
      password: null,
      sessionVersion: 3,
    });
    expect(['role', 'isSuspended', 'name', 'host', 'tlsCertificate', 'profile'].filter(isSecretKey)).toEqual([]);
  });

  it('cuts credentials out of strings: URL user info, secret query parameters, webhook paths, JWTs', () => {
    expect(maskString('redis://admin:hunter2@10.0.0.1:6379/0')).toBe(`redis://${SECRET_MARK}@10.0.0.1:6379/0`);
    expect(maskString('https://tok3n@example.net/x')).toBe(`https://${SECRET_MARK}@example.net/x`);
    expect(maskString('https://api.example.net/send?to=1&access_token=abc123&x=2')).toBe(`https://api.example.net/send?to=1&access_token=${SECRET_MARK}&x=2`);
    expect(maskString('see https://hooks.slack.com/services/T0/B1/secretpart now')).toBe(`see https://hooks.slack.com/${SECRET_MARK} now`);
    expect(maskString('bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl')).toBe(`bearer ${SECRET_MARK}`);
    expect(maskString('plain text, https://example.net/page')).toBe('plain text, https://example.net/page');
    expect(maskSecrets({ note: 'moved to http://u:p4ss@host' })).toEqual({ note: `moved to http://${SECRET_MARK}@host` });
  });

  it('masks paths a schema marks secret, whatever they are called', () => {
    const schema = { eachPath: (fn: (p: string, t: { options?: { secret?: unknown } }) => void) => [['pin', { options: { secret: true } }], ['name', { options: {} }], ['radius.shared', { options: { secret: true } }]].forEach(([p, t]) => fn(p as string, t as { options?: { secret?: unknown } })) };
    const secretPaths = secretPathsOf(schema);
    expect([...secretPaths]).toEqual(['pin', 'radius.shared']);
    expect(maskSecrets({ pin: '1234', name: 'n', radius: { shared: 'x', port: 1812 } }, { secretPaths })).toEqual({ pin: SECRET_MARK, name: 'n', radius: { shared: SECRET_MARK, port: 1812 } });
  });

  it('turns ids and dates into strings, and makes any key storable', () => {
    const id = new Types.ObjectId();
    expect(maskSecrets({ id, at: new Date(0), $where: 1, 'a.b': 2, '': 3, 'n\u0000ul': 4 })).toEqual({ id: id.toHexString(), at: '1970-01-01T00:00:00.000Z', _$where: 1, a_b: 2, _: 3, n_ul: 4 });
  });

  it('bounds what a hostile body can make it keep', () => {
    let deep: Record<string, unknown> = { leaf: 1 };
    for (let i = 0; i < 20; i++) deep = { d: deep };
    expect(JSON.stringify(maskSecrets(deep))).toContain('[too deep]');
    const list = maskSecrets(Array.from({ length: 250 }, (_, i) => i)) as unknown[];
    expect(list).toHaveLength(201);
    expect(list[200]).toBe('[50 more]');
    expect((maskSecrets('x'.repeat(5000)) as string).length).toBe(2003);
  });
});

describe('audit diff', () => {
  const id = new Types.ObjectId();

  it('keeps only the changed fields, nested as in the document, and ignores bookkeeping', () => {
    const before = { _id: id, username: 'ana', desired: { isSuspended: false, profile: '10mb' }, desiredVersion: 1, updatedAt: new Date(1) };
    const after = { _id: id, username: 'ana', desired: { isSuspended: true, profile: '10mb' }, desiredVersion: 2, updatedAt: new Date(2) };
    expect(diffDocuments(before, after)).toEqual({
      changed: ['desired.isSuspended', 'desiredVersion'],
      before: { desired: { isSuspended: false }, desiredVersion: 1 },
      after: { desired: { isSuspended: true }, desiredVersion: 2 },
    });
  });

  it('records a changed secret as changed, masked on both sides', () => {
    const change = diffDocuments({ _id: id, name: 'r', apiPassword: 'enc2:old' }, { _id: id, name: 'r', apiPassword: 'enc2:new' });
    expect(change).toEqual({ changed: ['apiPassword'], before: { apiPassword: SECRET_MARK }, after: { apiPassword: SECRET_MARK } });
  });

  it('gives the whole document for a creation or a deletion, and nothing when nothing changed', () => {
    const doc = { _id: id, name: 'r', apiPassword: 'enc2:x', __v: 0 };
    expect(diffDocuments(null, doc)).toEqual({ changed: ['_id', 'name', 'apiPassword'], before: null, after: { _id: id.toHexString(), name: 'r', apiPassword: SECRET_MARK, __v: 0 } });
    expect(diffDocuments(doc, null).before).toEqual({ _id: id.toHexString(), name: 'r', apiPassword: SECRET_MARK, __v: 0 });
    expect(diffDocuments(doc, { ...doc })).toEqual({ changed: [], before: null, after: null });
  });

  it('compares arrays and ids by value', () => {
    const b = new Types.ObjectId();
    expect(diffDocuments({ buildings: [b] }, { buildings: [new Types.ObjectId(b.toHexString())] }).changed).toEqual([]);
    expect(diffDocuments({ buildings: [b] }, { buildings: [] })).toEqual({ changed: ['buildings'], before: { buildings: [b.toHexString()] }, after: { buildings: [] } });
  });
});

describe('audit object type of a controller that names none', () => {
  it('is the first path segment after the API prefix', () => {
    expect(typeFromRoute('/api/v1/maintenance/:id/end')).toBe('maintenance');
    expect(typeFromRoute('/api/v1/maintenance')).toBe('maintenance');
    expect(typeFromRoute('/other/thing')).toBe('other');
    expect(typeFromRoute('/')).toBe('unknown');
  });
});
