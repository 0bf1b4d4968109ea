/**
 * The HTML report in a real browser: Debian's headless Chromium, driven by playwright-core (no browser
 * download). In CI the test fails, never skips, when the browser is missing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const CHROMIUM = process.env.THREATKREW_CHROMIUM ?? '/usr/bin/chromium';
const present = existsSync(CHROMIUM);
if (!present && process.env.CI) {
  throw new Error(`${CHROMIUM} is missing: CI must install Debian's chromium (see .ci/run)`);
}
const outputDir = join(root, 'test-output');

describe.skipIf(!present)('the HTML report in headless Chromium', () => {
  let browser: Browser;
  let reportUrl: string;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tk-html-'));
    const report = join(dir, 'report.html');
    const r = spawnSync(
      process.execPath,
      [
        join(root, 'bin', 'threatkrew'),
        'analyze',
        'examples/ecommerce-aws.yaml',
        '--format',
        'html',
        '--out',
        report,
      ],
      {
        cwd: root,
        encoding: 'utf8',
      },
    );
    expect(r.status, r.stderr).toBe(0);
    reportUrl = pathToFileURL(report).href;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('renders the diagram, filters by severity, opens a finding on click, and requests nothing else', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const requests: string[] = [];
    page.on('request', (req) => requests.push(req.url()));
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(reportUrl);

    // The diagram rendered: an inline SVG with nodes and a real size.
    const box = await page.locator('.diagram svg').boundingBox();
    expect(box?.width ?? 0).toBeGreaterThan(300);
    expect(await page.locator('.diagram svg g.node').count()).toBeGreaterThan(20);

    // A severity filter hides findings.
    const all = await page.locator('#finding-list .finding').count();
    const critical = await page.locator('#finding-list .finding[data-severity="critical"]').count();
    expect(critical).toBeGreaterThan(0);
    await page.locator('input[name=severity][value=critical]').uncheck();
    expect(await page.locator('#finding-list .finding[data-severity="critical"]:visible').count()).toBe(0);
    expect(await page.locator('#finding-list .finding:visible').count()).toBe(all - critical);
    expect(await page.locator('#shown').textContent()).toBe(String(all - critical));

    // STRIDE and component filters narrow further; clearing them restores.
    await page.selectOption('select[name=stride]', 'repudiation');
    const repudiation = await page.locator('#finding-list .finding:visible').count();
    expect(repudiation).toBeGreaterThan(0);
    expect(repudiation).toBeLessThan(all - critical);
    await page.selectOption('select[name=stride]', '');
    await page.locator('input[name=severity][value=critical]').check();
    expect(await page.locator('#finding-list .finding:visible').count()).toBe(all);

    // A click on a finding shows its detail.
    const first = page.locator('#finding-list .finding').first();
    await first.locator('summary').click();
    await expect.poll(() => first.locator('.detail').isVisible()).toBe(true);
    expect(await first.locator('.detail').textContent()).toMatch(/Mitigation/);

    mkdirSync(outputDir, { recursive: true });
    const shot = join(outputDir, 'html-report.png');
    await page.screenshot({ path: shot, fullPage: false });
    console.log(`screenshot: ${shot}`);

    expect(errors).toEqual([]);
    expect(requests.filter((u) => u !== reportUrl)).toEqual([]);
    await page.close();
  }, 60_000);

  it('expands every finding for printing', async () => {
    const page = await browser.newPage();
    await page.goto(reportUrl);
    await page.emulateMedia({ media: 'print' });
    await page.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
    const closed = await page.locator('#finding-list details.finding:not([open])').count();
    expect(closed).toBe(0);
    expect(await page.locator('#filters').isVisible()).toBe(false);
    const pdf = await page.pdf({ format: 'A4' });
    expect(pdf.byteLength).toBeGreaterThan(10_000);
    await page.close();
  }, 60_000);
});
