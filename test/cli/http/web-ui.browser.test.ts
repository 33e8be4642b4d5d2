/**
 * The web UI of `confsnap run --http` in a real browser: headless Chromium (Debian's package)
 * driven by playwright-core, over simulated devices. With CONFSNAP_UPDATE_SCREENSHOTS=1 it also
 * writes the screenshots of docs/images/.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/run-cli.js';
import { chromiumAvailable, chromiumPath } from '../../harness/browser.js';
import { sampleConfig } from '../../fixtures/configs.js';
import { captureIo, entry, Lab, tempDir, USERNAME, writeInventory } from '../helpers.js';

const PASSWORD = 'pw-browser-4e1d';
const available = chromiumAvailable();
const screenshots = process.env.CONFSNAP_UPDATE_SCREENSHOTS === '1';
const IMAGES = fileURLToPath(new URL('../../../docs/images/', import.meta.url));

describe.skipIf(!available)('the web UI in Chromium', () => {
  const lab = new Lab();
  let dir: string;
  let cleanup: () => void;
  let browser: Browser;
  let page: Page;
  let base: string;
  let stop: () => Promise<number>;
  let log: () => string;
  const foreign: string[] = [];

  beforeAll(async () => {
    ({ dir, cleanup } = tempDir('confsnap-browser-'));
    const core = await lab.start(PASSWORD, { vendor: 'routeros' });
    const edge = await lab.start(PASSWORD, { vendor: 'cisco-ios' });
    const access = await lab.start(PASSWORD, { vendor: 'junos' });
    const locked = await lab.start('a-password-nobody-has', { vendor: 'routeros' });
    const inventory = writeInventory(dir, {
      defaults: { username: USERNAME, password_env: 'ROUTER_PASSWORD' },
      groups: { core: {}, edge: {} },
      devices: [
        entry('core-r1', core, { group: 'core' }),
        entry('edge-sw1', edge, { group: 'edge' }),
        entry('access-j1', access, { group: 'edge' }),
        entry('branch-r7', locked, { group: 'core' }),
      ],
    });
    const controller = new AbortController();
    const captured = captureIo({
      env: { ROUTER_PASSWORD: PASSWORD },
      cwd: dir,
      signal: controller.signal,
    });
    const argv = ['run', '--inventory', inventory, '--out', join(dir, 'out'), '--git'];
    const done = runCli([...argv, '--interval', '1h', '--http', '127.0.0.1:0'], captured.io);
    log = () => captured.stderr();
    stop = () => {
      controller.abort();
      return done;
    };
    for (let i = 0; i < 500 && !/HTTP API and web UI on /.test(log()); i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    base = /HTTP API and web UI on (\S+)/.exec(log())![1]!;
    browser = await chromium.launch({
      executablePath: chromiumPath()!,
      headless: true,
      args: ['--no-sandbox'],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    // Nothing may be fetched from anywhere but the server.
    page.on('request', (request) => {
      if (!request.url().startsWith(base)) foreign.push(request.url());
    });
  });

  afterAll(async () => {
    expect(foreign).toEqual([]);
    await browser?.close();
    if (stop) expect(await stop()).toBe(0);
    await lab.close();
    cleanup?.();
  });

  async function snap(name: string): Promise<void> {
    if (!screenshots) return;
    mkdirSync(IMAGES, { recursive: true });
    await page.screenshot({ path: join(IMAGES, name), fullPage: true });
  }

  it('shows the device table, filters and sorts it, and updates it live', async () => {
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(base);
    await expect
      .poll(() => page.getByRole('table', { name: 'Devices: 4 shown of 4' }).isVisible())
      .toBe(true);
    const table = page.locator('table#devices');
    const ids = () => table.locator('tbody th[scope=row]').allTextContents();
    expect(await ids()).toEqual(['access-j1', 'branch-r7', 'core-r1', 'edge-sw1']);

    await page.getByRole('button', { name: 'Device' }).click();
    expect(await ids()).toEqual(['edge-sw1', 'core-r1', 'branch-r7', 'access-j1']);
    expect(await page.locator('th[data-key=id]').getAttribute('aria-sort')).toBe('descending');

    await page.getByLabel('Group').selectOption('core');
    expect(await ids()).toEqual(['core-r1', 'branch-r7']);
    expect(await table.locator('caption').textContent()).toBe('Devices: 2 shown of 4');
    await page.getByLabel('Group').selectOption('');
    await page.getByLabel('Search').fill('edge');
    expect(await ids()).toEqual(['edge-sw1']);
    await page.getByLabel('Search').fill('');

    // A backup made elsewhere (the API) shows up without reloading the page.
    const failed = await fetch(new URL('/api/devices/branch-r7/backup', base), { method: 'POST' });
    expect(((await failed.json()) as { outcome: { kind: string } }).outcome.kind).toBe(
      'auth-failed',
    );
    await fetch(new URL('/api/devices/edge-sw1/backup', base), { method: 'POST' });
    const blockedRow = table.locator('tr[data-device-id="branch-r7"]');
    await expect
      .poll(() => blockedRow.textContent(), { timeout: 12_000 })
      .toMatch(/blocked.*auth-failed.*What to do:/s);
    await expect
      .poll(() => table.locator('tr[data-device-id="edge-sw1"] time').first().textContent(), {
        timeout: 12_000,
      })
      .toMatch(/ago|now/);
    await snap('web-ui-devices.png');
    expect(errors).toEqual([]);
  });

  it('opens a device with the keyboard, backs it up twice and shows the diff', async () => {
    await page.goto(base);
    const link = page.getByRole('link', { name: 'core-r1' });
    await link.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('core-r1');

    const button = page.getByRole('button', { name: 'Back up now' });
    const outcome = page.getByRole('status');
    await button.click();
    await expect.poll(() => outcome.textContent(), { timeout: 15_000 }).toMatch(/Backup succeeded/);

    lab.devices[0]!.setConfig(`${sampleConfig('routeros')}/ip dns set servers=192.0.2.53\n`);
    await button.focus();
    await page.keyboard.press('Enter');
    await expect
      .poll(() => outcome.textContent(), { timeout: 15_000 })
      .toMatch(/Backup succeeded: the config changed/);

    const versions = page.getByRole('table', { name: /Version history/ });
    await expect.poll(() => versions.locator('tbody tr').count()).toBeGreaterThanOrEqual(2);
    await page.getByRole('button', { name: 'Show diff' }).click();
    const diff = page.getByRole('region', { name: 'Diff' });
    await expect
      .poll(() => diff.locator('.added').allTextContents())
      .toContain('+/ip dns set servers=192.0.2.53');
    expect(await diff.textContent()).toMatch(/1 line\(s\) added, 0 removed/);
    await snap('web-ui-device.png');

    // Another pair: the oldest against itself is no change at all.
    await versions
      .locator('tbody tr')
      .last()
      .getByRole('radio', { name: /compare to/ })
      .check();
    await versions
      .locator('tbody tr')
      .last()
      .getByRole('radio', { name: /compare from/ })
      .check();
    await page.getByRole('button', { name: 'Show diff' }).click();
    await expect.poll(() => diff.textContent()).toMatch(/The two versions are the same/);
  });

  it('shows why a blocked device failed and what to do, after a manual backup', async () => {
    await page.goto(`${base}#/device/branch-r7`);
    await page.getByRole('button', { name: 'Back up now' }).click();
    await expect
      .poll(() => page.getByRole('status').textContent(), { timeout: 15_000 })
      .toMatch(/Backup failed \(auth-failed\).*What to do:/);
    expect(await page.locator('#details').textContent()).toMatch(/blocked/);
    expect(await page.locator('#versions-note').textContent()).toBe('No committed version yet.');
    expect(log()).toContain('failed  branch-r7');
  });
});
