import { writeFileSync } from 'node:fs';
import { checkInChromium } from '../../support/chromium';
import { describe, expect, it } from 'vitest';
import { renderBacktestHtml } from '../../../src/backtest/report-html';
import { backtestTable, summarizeBacktest } from '../../../src/backtest/summary';
import type { BacktestResult, Decision, ModelMetrics } from '../../../src/core/domain';

// The backtest's HTML report in headless Debian Chromium: it renders its chart with one marker per
// decision, with no page errors and no network; a screenshot is left at /tmp/bike-retrain-backtest-report.png.
const HTML = '/tmp/bike-retrain-backtest-report.html';
const SCREENSHOT = '/tmp/bike-retrain-backtest-report.png';

const m = (rmse: number): ModelMetrics => ({ rmse, mae: rmse / 2, r2: 0.8, rows: 1000 });
const decisions: Decision[] = ['not_triggered', 'deploy', 'skip_no_improvement', 'reject_regression', 'deploy'];
const result: BacktestResult = {
  weeks: decisions.map((decision, i) => ({
    asOf: new Date(Date.UTC(2026, 8, 6 + 7 * i)).toISOString(),
    runs: {
      configured: { workflowId: `bt--configured--${i}`, decision, reason: `reason ${i}`, championVersion: 1 },
      always: { workflowId: `bt--always--${i}`, decision: 'deploy', reason: 'point estimate', championVersion: 2 + i },
    },
    next: { configured: m(40 - i), never: m(45 + i), always: i === 4 ? null : m(41 - i) },
  })),
};

describe('backtest summary and HTML report', () => {
  it('summarises mean and worst next-week RMSE and deploys per policy, skipping unscored weeks', () => {
    const s = Object.fromEntries(summarizeBacktest(result).map((x) => [x.policy, x]));
    expect(s.configured).toMatchObject({ weeks: 5, meanRmse: 38, worstRmse: 40, deploys: 2 });
    expect(s.never).toMatchObject({ weeks: 5, meanRmse: 47, worstRmse: 49, deploys: 0 });
    expect(s.always).toMatchObject({ weeks: 4, meanRmse: 39.5, worstRmse: 41, deploys: 5 });
    expect(backtestTable(result)).toMatch(/configured\s+mean 38\.00\s+worst 40\.00\s+deploys 2/);
  });

  it('renders in headless Chromium: the chart, one marker per decision, no page errors, no network', async () => {
    writeFileSync(HTML, renderBacktestHtml(result, { title: 'Backtest test', generatedAt: new Date(0), command: 'x' }));
    await checkInChromium(HTML, { width: 1100, height: 800 }, async (page) => {
      const chart = page.locator('#rmse-chart');
      const box = await chart.boundingBox();
      expect(box && box.width > 600 && box.height > 200).toBe(true);
      expect(await page.locator('#rmse-chart circle.decision-marker').count()).toBe(decisions.length);
      expect(await page.locator('#rmse-chart polyline').count()).toBe(3);
      await page.screenshot({ path: SCREENSHOT, fullPage: true });
    });
  });
});
