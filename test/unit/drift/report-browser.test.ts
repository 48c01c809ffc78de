import { existsSync, writeFileSync } from 'node:fs';
import { checkInChromium } from '../../support/chromium';
import { describe, expect, it } from 'vitest';
import { renderDriftReportHtml, runDriftCheck } from '../../../src/drift';
import { naiveChampionPerformance, simulatedWeek } from './scenario-helpers';

// Opens the HTML report in headless Debian Chromium, checks it renders its charts without page
// errors or network requests, and leaves a screenshot at /tmp/bike-retrain-drift-report.png.
// Never skipped: without Chromium it fails and says how to install it (`npm run setup:test-tools`).
const SCREENSHOT = '/tmp/bike-retrain-drift-report.png';
const HTML = '/tmp/bike-retrain-drift-report.html';

describe('HTML drift report in headless Chromium', () => {
  it('renders the verdict and one chart per signal, with no page errors and no network', async () => {
    const { reference, current } = simulatedWeek('lockdown', 4);
    const check = runDriftCheck({
      reference,
      current,
      performance: naiveChampionPerformance(reference, current),
      gates: { newRows: 20_000, daysCovered: 30 },
      title: 'Drift check: simulated lockdown week',
    });
    writeFileSync(HTML, renderDriftReportHtml(check.report));

    await checkInChromium(HTML, { width: 1280, height: 900 }, async (page) => {
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
    });
    expect(existsSync(SCREENSHOT)).toBe(true);
  }, 120_000);
});
