import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { CHROMIUM_INSTALL_COMMAND, DEFAULT_CHROMIUM } from '../../../scripts/setup-test-tools';
import { renderDriftReportHtml, runDriftCheck } from '../../../src/drift';
import { naiveChampionPerformance, simulatedWeek } from './scenario-helpers';

// Opens the HTML report in headless Debian Chromium, checks it renders its charts without page
// errors or network requests, and leaves a screenshot at /tmp/bike-retrain-drift-report.png.
// Never skipped: without Chromium it fails and says how to install it (`npm run setup:test-tools`).
const CHROMIUM = process.env.CHROMIUM_PATH || DEFAULT_CHROMIUM;
const SCREENSHOT = '/tmp/bike-retrain-drift-report.png';
const HTML = '/tmp/bike-retrain-drift-report.html';

describe('HTML drift report in headless Chromium', () => {
  const profile = mkdtempSync(join(tmpdir(), 'drift-report-chromium-'));
  afterAll(() => rmSync(profile, { recursive: true, force: true }));

  it('renders the verdict and one chart per signal, with no page errors and no network', async () => {
    expect(
      existsSync(CHROMIUM),
      `Chromium not found at ${CHROMIUM}: run \`npm run setup:test-tools\` ` +
        `(as root it runs \`${CHROMIUM_INSTALL_COMMAND}\`), or set CHROMIUM_PATH`,
    ).toBe(true);
    const { reference, current } = simulatedWeek('lockdown', 4);
    const check = runDriftCheck({
      reference,
      current,
      performance: naiveChampionPerformance(reference, current),
      gates: { newRows: 20_000, daysCovered: 30 },
      title: 'Drift check: simulated lockdown week',
    });
    writeFileSync(HTML, renderDriftReportHtml(check.report));

    const browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      viewport: { width: 1280, height: 900 },
    });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      const requests: string[] = [];
      page.on('pageerror', (err) => errors.push(err.message));
      page.on('console', (msg) => {
        if (msg.type() === 'error') errors.push(msg.text());
      });
      page.on('request', (req) => requests.push(req.url()));
      await page.goto(`file://${HTML}`, { waitUntil: 'load' });

      expect(await page.locator('#verdict .badge').first().innerText()).toBe('RETRAIN');
      expect(await page.locator('#reasons li').count()).toBeGreaterThan(0);
      const signals = check.drift.signals.length;
      expect(await page.locator('tr.signal svg').count()).toBe(signals);
      // Bars really laid out: every chart has a visible size and at least one bar of non-zero height per side.
      for (const svg of await page.locator('tr.signal svg').all()) {
        const box = await svg.boundingBox();
        expect(box && box.width > 300 && box.height > 100).toBe(true);
      }
      const tallBars = await page
        .locator('tr.signal rect.bar-cur')
        .evaluateAll(
          (rects) =>
            rects.filter((r) => (r as unknown as { getBBox(): { height: number } }).getBBox().height > 1).length,
        );
      expect(tallBars).toBeGreaterThan(signals);
      expect(await page.locator('#ratio-interval svg circle').count()).toBe(1);

      await page.screenshot({ path: SCREENSHOT, fullPage: true });
      expect(errors).toEqual([]);
      expect(requests.filter((u) => !u.startsWith('file://') && !u.startsWith('data:'))).toEqual([]);
    } finally {
      await browser.close();
    }
    expect(existsSync(SCREENSHOT)).toBe(true);
  }, 120_000);
});
