import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import mongoose, { type Connection } from 'mongoose';
import { JobName, QueueName, SecretBox, TopologyFileError } from '@isp/domain';
import { redisOptionsFromUrl } from '@isp/platform';
import {
  ensureIndexes,
  loadTopology,
  modelsOn,
  parseTopologyText,
  repositoriesOn,
  TopologyFileRepository,
  type DomainModels,
} from '@isp/data';
import { testMongoUrl, testQueuePrefix, testRedisUrl } from '../../../test/support';

const FILE = `
buildings:
  - { code: hq, name: Head Office }
  - { code: TWR, name: Tower One }
routers:
  - { name: core-hq, building: HQ, host: 127.0.0.1, apiPort: 8728, apiUser: admin, apiPassword: "s3cret" }
devices:
  - { name: bh-1, router: core-hq, type: backhaul, ip: 10.0.0.2, building: TWR }
  - { name: sector-1, router: core-hq, type: sector, ip: 10.0.0.3, parent: bh-1 }
  - { name: st-1, router: core-hq, type: station, ip: 10.0.1.10, parent: sector-1, mac: aa-bb-cc-dd-ee-01 }
subscribers:
  - { username: "00123", router: core-hq, station: st-1, password: pw1, profile: 10M }
  - { username: bob, router: core-hq, password: pw2 }
contacts:
  - { name: Ada Admin, level: 3, phone: "+15550001", email: ADA@example.net }
  - { name: Tom Tech, level: 2, phone: "+15550002", buildings: [TWR] }
`;

describe('topology loader', () => {
  let conn: Connection;
  let models: DomainModels;
  const box = new SecretBox(SecretBox.generateKey('k1'));

  beforeAll(async () => {
    conn = await mongoose.createConnection(testMongoUrl('topology-loader')).asPromise();
    models = modelsOn(conn);
    await ensureIndexes(models);
  });
  afterAll(async () => {
    await conn.dropDatabase();
    await conn.close();
  });

  it('loads every record with references, encrypted passwords and inherited buildings', async () => {
    const summary = await loadTopology(parseTopologyText(FILE), new TopologyFileRepository(models), box);
    expect(summary.buildings.created).toBe(2);
    expect(summary.devices.created).toBe(3);
    expect(summary.subscribers.created).toBe(2);

    const repos = repositoriesOn(conn);
    const router = (await repos.routers.findByName('core-hq'))!;
    expect(router.apiPassword).not.toContain('s3cret');
    expect(box.decrypt(router.apiPassword, 'router.apiPassword', router._id)).toBe('s3cret');

    const hq = (await repos.buildings.findByCode('HQ'))!;
    const twr = (await repos.buildings.findByCode('TWR'))!;
    const sector = (await repos.devices.findByRouterAndName(router._id, 'sector-1'))!;
    const bh = (await repos.devices.findByRouterAndName(router._id, 'bh-1'))!;
    const st = (await repos.devices.findByRouterAndName(router._id, 'st-1'))!;
    expect(String(sector.parent)).toBe(String(bh._id));
    expect(String(bh.parent)).toBe('null');
    expect(String(sector.building)).toBe(String(hq._id)); // from its router
    expect(String(bh.building)).toBe(String(twr._id)); // its own
    expect(st.macAddress).toBe('AA:BB:CC:DD:EE:01');

    const u = (await repos.subscribers.findByRouterAndUsername(router._id, '00123'))!;
    expect(u.username).toBe('00123');
    expect(String(u.station)).toBe(String(st._id));
    expect(String(u.building)).toBe(String(st.building));
    expect(box.decrypt(u.password!, 'subscriber.password', u._id)).toBe('pw1');
    expect(u.profile).toBe('10M');

    const tom = (await repos.contacts.findAll()).find((c) => c.name === 'Tom Tech')!;
    expect(tom.buildings.map(String)).toEqual([String(twr._id)]);
  });

  it('re-running updates in place and never duplicates', async () => {
    const again = await loadTopology(parseTopologyText(FILE), new TopologyFileRepository(models), box);
    expect(again.buildings.created + again.routers.created + again.devices.created + again.subscribers.created + again.contacts.created).toBe(0);
    expect(await models.building.countDocuments()).toBe(2);
    expect(await models.device.countDocuments()).toBe(3);
    expect(await models.subscriber.countDocuments()).toBe(2);
    expect(await models.contact.countDocuments()).toBe(2);
    const u = await models.subscriber.findOne({ username: 'bob' }).lean();
    expect(u!.desiredVersion).toBe(1);
  });

  it('a contact keeps its Telegram chat, WhatsApp number, Teams webhook and time zone', async () => {
    const file = parseTopologyText(
      'contacts:\n  - { name: Nia Noc, level: 3, telegramChatId: "-1001234567890", whatsapp: "+254711000001", teamsWebhook: "https://example.logic.azure.com/workflows/x?sig=y", timezone: Africa/Nairobi }\n',
    );
    await loadTopology(file, new TopologyFileRepository(models), box);
    expect(await models.contact.findOne({ name: 'Nia Noc' }).lean()).toMatchObject({ telegramChatId: '-1001234567890', whatsapp: '+254711000001', teamsWebhook: 'https://example.logic.azure.com/workflows/x?sig=y', timezone: 'Africa/Nairobi' });
    await models.contact.deleteOne({ name: 'Nia Noc' });
  });

  it('a router with tls and no port is dialled on api-ssl (8729), not on the plain API port', async () => {
    const file = parseTopologyText('buildings:\n  - { code: hq, name: Head Office }\nrouters:\n  - { name: core-ssl, building: HQ, host: 10.9.9.9, apiUser: admin, apiPassword: x, tls: true }\n');
    await loadTopology(file, new TopologyFileRepository(models), box);
    expect(await models.router.findOne({ name: 'core-ssl' }).lean()).toMatchObject({ tls: true, apiPort: 8729 });
    await models.router.deleteOne({ name: 'core-ssl' });
  });

  it.each([
    ['a device whose parent does not exist', FILE.replace('parent: bh-1', 'parent: nope'), /devices \(sector-1\): parent "nope"/],
    ['a subscriber on an unknown router', FILE.replace('username: bob, router: core-hq', 'username: bob, router: ghost'), /subscribers\[1\] \(bob\): router "ghost"/],
    ['a bad IP', FILE.replace('ip: 10.0.0.3', 'ip: 10.0.0.300'), /devices\[1\] \(sector-1\): ip must be an IPv4 address/],
    ['a parent cycle', FILE.replace('type: backhaul, ip: 10.0.0.2,', 'type: backhaul, ip: 10.0.0.2, parent: st-1,'), /cycle/],
    ['broken YAML', 'buildings: [', /cannot parse/],
    ['a contact with an unknown time zone (not a silent UTC)', FILE.replace('level: 2, phone: "+15550002"', 'level: 2, timezone: "Mars/Base", phone: "+15550002"'), /contacts\[1\] \(Tom Tech\): timezone "Mars\/Base" is not an IANA time zone/],
  ])('rejects %s with an error that names the record, writing nothing', async (_what, text, message) => {
    const before = await models.device.countDocuments();
    expect(() => parseTopologyText(text)).toThrow(TopologyFileError);
    expect(() => parseTopologyText(text)).toThrow(message);
    expect(await models.device.countDocuments()).toBe(before);
  });

  it('the CLI (built) loads the file and queues one router pass per router it named, so provisioning does not wait for its schedule', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'topology-'));
    writeFileSync(join(dir, 'topology.yaml'), FILE);
    const mongoUrl = testMongoUrl('topology-loader-cli');
    const prefix = testQueuePrefix('topology-loader-cli');
    const env = { PATH: process.env.PATH ?? '', MONGO_URL: mongoUrl, SECRETS_KEYS: SecretBox.generateKey('k1'), REDIS_URL: testRedisUrl(), QUEUE_PREFIX: prefix };
    const r = spawnSync(process.execPath, [join(__dirname, '../../../dist/libs/platform/src/cli/load-topology.js'), join(dir, 'topology.yaml')], { env, encoding: 'utf8', timeout: 60000 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('queued a router pass for 1 router(s)');
    // Progress as it goes: records done of the file's 10, kind by kind.
    expect(r.stdout.match(/^\w+: \d+\/\d+ \(\d+%\)$/gm)).toEqual(['buildings: 2/10 (20%)', 'routers: 3/10 (30%)', 'devices: 6/10 (60%)', 'subscribers: 8/10 (80%)', 'contacts: 10/10 (100%)']);
    const cli = await mongoose.createConnection(mongoUrl).asPromise();
    const queue = new Queue(QueueName.SYNC, { connection: redisOptionsFromUrl(testRedisUrl()), prefix });
    try {
      const router = await modelsOn(cli).router.findOne({ name: 'core-hq' }).lean();
      const jobs = await queue.getJobs(['waiting', 'prioritized', 'delayed']);
      expect(jobs.map((j) => [j.name, j.data])).toEqual([[JobName.SYNC_ROUTER, { routerId: String(router!._id) }]]);
    } finally {
      await queue.obliterate({ force: true });
      await queue.close();
      await cli.dropDatabase();
      await cli.close();
    }
  });
});
