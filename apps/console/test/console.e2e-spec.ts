// The operator console in a real browser (Debian's Chromium driven by playwright-core) against
// the whole system: every app running in process (the full-stack harness) in front of the
// RouterOS simulator. Screenshots of each screen go to test-results/console/ (git-ignored).
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { waitFor } from '../../../test/support';
import { FIRST_ADMIN_EMAIL, FIRST_ADMIN_PASSWORD, startFullStack, type FullStack } from '../../api-gateway/test/full-stack-harness';
import { createNetwork, SECTOR_B, STATION_A1 } from './console-network';

const SHOTS = join(__dirname, '..', '..', '..', 'test-results', 'console');
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
/** What the functions run in the page use of it (this file is type-checked without the DOM library). */
interface InPage {
  location: { hash: string };
  document: { documentElement: { scrollWidth: number } };
  sessionStorage: { length: number };
  noReload?: boolean;
}

/** How long the page may take to show something the stack is doing (diagnosis, provisioning). */
const UI_WAIT_MS = 20000;

describe('operator console in Chromium', () => {
  let s: FullStack;
  let ids: Record<string, string>;
  let profile: string;
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];
  const requestedUrls: string[] = [];

  const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  const go = async (hash: string) => {
    await page.evaluate((h) => ((globalThis as unknown as InPage).location.hash = h), hash);
  };

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    s = await startFullStack({ name: 'console' });
    ids = await createNetwork(s);
    profile = mkdtempSync(join(tmpdir(), 'console-chromium-'));
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, viewport: { width: 1280, height: 860 } });
    page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(UI_WAIT_MS);
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('request', (r) => requestedUrls.push(r.url()));
  }, 120000);

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    if (profile) rmSync(profile, { recursive: true, force: true });
    await s?.close();
  }, 30000);

  it('signs in with the keyboard; the first screen lists the buildings and the feed goes live', async () => {
    await page.goto(s.baseUrl);
    await page.getByLabel('E-mail').fill(FIRST_ADMIN_EMAIL);
    await page.getByLabel('Password').fill(FIRST_ADMIN_PASSWORD);
    await page.getByLabel('Password').press('Enter');
    await page.getByTestId('building-card').filter({ hasText: 'Torre Norte' }).waitFor();
    await page.getByTestId('feed-status').filter({ hasText: 'Live' }).waitFor();
    expect(await page.getByTestId('building-card').count()).toBe(1);
    await shot('01-buildings');
  });

  it('shows an incident on the board without a reload when a sector goes down, and acknowledges it', async () => {
    await page.getByRole('link', { name: 'Incidents', exact: true }).click();
    await page.getByTestId('incident-count').filter({ hasText: '0 incidents' }).waitFor();
    // A marker on the window survives only if the page is never reloaded.
    await page.evaluate(() => ((globalThis as unknown as InPage).noReload = true));

    s.sim.setDeviceUp(SECTOR_B, false);
    const card = page.getByTestId('incident').filter({ hasText: 'sector-b' });
    await card.waitFor({ timeout: 30000 });
    expect(await page.evaluate(() => (globalThis as unknown as InPage).noReload)).toBe(true);
    await card.getByTestId('impacted').filter({ hasText: '2 subscribers' }).waitFor();
    await expect(card.textContent()).resolves.toMatch(/OPEN/);
    await expect(card.textContent()).resolves.toMatch(/Level 2/);
    await expect(card.getByRole('list', { name: /Evidence path/ }).textContent()).resolves.toMatch(/sector-b.*DOWN/);
    await shot('02-incident-board');

    await card.getByLabel('Note (optional)').fill('crew on the way, ETA 40 min');
    await card.getByRole('button', { name: 'Acknowledge' }).click();
    await card.filter({ hasText: 'ACKNOWLEDGED' }).waitFor();
    await card.getByTestId('ack-note').filter({ hasText: 'crew on the way, ETA 40 min' }).waitFor();
    const id = await card.getAttribute('data-incident-id');
    const stored = await s.request('GET', `/api/v1/incidents/${id}`);
    expect(stored.body).toMatchObject({ state: 'acknowledged', acknowledgedBy: FIRST_ADMIN_EMAIL, acknowledgeNote: 'crew on the way, ETA 40 min' });
    await shot('03-incident-acknowledged');
  }, 60000);

  it('opens the building: the tree shows live states and Live Check on a station lists every hop', async () => {
    await page.getByTestId('incident').filter({ hasText: 'sector-b' }).getByRole('link', { name: 'Torre Norte' }).click();
    await page.getByTestId('topology').waitFor();
    await page.getByTestId('state-sector-b').filter({ hasText: 'DOWN' }).waitFor();
    const row = page.locator('[data-testid="tree-node"][data-node-name="station-a1"]');
    // A slow station (each of its echoes takes ~200 ms to come back): the hops above it show while its
    // probe is still out, then the complete result.
    s.sim.setHostLatency(STATION_A1, 100);
    try {
      await row.getByRole('button', { name: 'Live Check station-a1' }).click();
      const list = page.getByTestId(`live-check-${ids['station-a1']}`);
      // One locator, so both hold at the same moment: a hop shown while another is still out.
      await list
        .and(page.locator('[data-complete="false"]'))
        .filter({ has: page.getByTestId('hop') })
        .filter({ has: page.getByTestId('hop-pending') })
        .waitFor();
      await shot('04-building-live-check-streaming');
      await list.and(page.locator('[data-complete="true"]')).waitFor();
    } finally {
      s.sim.setHostLatency(STATION_A1, 1);
    }
    const hops = page.getByTestId(`live-check-${ids['station-a1']}`).getByTestId('hop');
    await waitFor(async () => (await hops.count()) === 3, { timeoutMs: UI_WAIT_MS, message: 'three hops listed' });
    const texts = await hops.allTextContents();
    expect(texts[0]).toMatch(/UP.*router.*core-tn/);
    expect(texts[1]).toMatch(/UP.*device.*sector-a.*ms/);
    expect(texts[2]).toMatch(/UP.*device.*station-a1.*ms/);
    await shot('04-building-live-check');
  }, 60000);

  it('looks up a subscriber, suspends and unsuspends them, and the sync state follows to the router', async () => {
    await page.getByRole('link', { name: 'Subscribers', exact: true }).click();
    // The box takes a username prefix, a MAC or an address; anything else is refused, not "0 matches".
    await page.getByRole('searchbox').fill('no such!');
    await page.getByRole('searchbox').press('Enter');
    await page.getByText(/q must be a username prefix, a MAC address or an IPv4 address/).waitFor();
    await page.getByRole('searchbox').fill('ali');
    await page.getByRole('searchbox').press('Enter');
    await page.getByTestId('subscriber-results').getByRole('link', { name: 'alice' }).click();
    await page.getByTestId('status-card').waitFor();
    await page.getByTestId('subscriber-state').filter({ hasText: 'UP' }).waitFor();
    const before = (await s.request('GET', `/api/v1/subscribers/${ids.alice}/sync`)).body.desiredVersion as number;

    await page.getByRole('button', { name: 'Suspend' }).click();
    await page.getByTestId('suspension').filter({ hasText: 'SUSPENDED' }).waitFor();
    // The card re-reads the sync state until the router has the new desired version.
    await page.getByTestId('status-card').filter({ hasText: `v${before + 1}/${before + 1}` }).waitFor();
    await page.getByTestId('sync-state').filter({ hasText: 'SYNCED' }).waitFor();
    expect(s.sim.table('/ppp/secret').find((r) => r.name === 'alice')?.profile).toBe('suspended');
    await shot('05-subscriber-suspended');

    await s.settle('suspension applied and the redial diagnosed');
    await page.getByRole('button', { name: 'Unsuspend' }).click();
    await page.getByTestId('suspension').filter({ hasText: 'ACTIVE' }).waitFor();
    await page.getByTestId('status-card').filter({ hasText: `v${before + 2}/${before + 2}` }).waitFor();
    await page.getByTestId('sync-state').filter({ hasText: 'SYNCED' }).waitFor();
    expect(s.sim.table('/ppp/secret').find((r) => r.name === 'alice')?.profile).toBe('default');
    await shot('06-subscriber-unsuspended');
  }, 60000);

  it('charts availability and shows the router page', async () => {
    await go(`#/buildings/${ids.building}/availability`);
    await page.getByTestId('availability-total').waitFor();
    await page.locator('.chart canvas').waitFor();
    await shot('07-availability');
    await go(`#/routers/${ids.router}`);
    await page.getByRole('heading', { name: 'Router core-tn' }).waitFor();
    await shot('08-router');
  });

  it('repeats the board at 390 px wide: nothing overflows sideways', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole('link', { name: 'Incidents', exact: true }).click();
    await page.getByTestId('incident').filter({ hasText: 'sector-b' }).waitFor();
    expect(await page.evaluate(() => (globalThis as unknown as InPage).document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await shot('09-incident-board-390px');
  });

  it('never put a token in a URL and raised no page errors; signing out ends the session', async () => {
    const jwt = /eyJ[\w-]+\.[\w-]+\.[\w-]+/;
    expect(requestedUrls.filter((u) => jwt.test(u) || u.includes('access_token'))).toEqual([]);
    expect(requestedUrls.some((u) => u.includes('/api/v1/feed?ticket='))).toBe(true);
    expect(pageErrors).toEqual([]);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(await page.evaluate(() => (globalThis as unknown as InPage).sessionStorage.length)).toBe(0);
    s.sim.setDeviceUp(SECTOR_B, true);
  });
});
