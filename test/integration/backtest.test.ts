import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderBacktestHtml } from '../../src/backtest/report-html';
import { runBacktest } from '../../src/backtest/run-backtest';
import { summarizeBacktest } from '../../src/backtest/summary';
import { evaluateModelOnWindow } from '../../src/champion/evaluate-model';
import { latestWorkflowId } from '../../src/client/status';
import { DAY_MS } from '../../src/core/time';
import { maybeRecord } from '../support/history';
import { connectTestTemporal, type TemporalTestContext } from '../support/temporal';
import { makeWorld, TEST_RUN_CONFIG, WORLD_END_MS, type TestWorld } from '../support/world';
import { inject } from 'vitest';

let ctx: TemporalTestContext;
beforeAll(async () => {
  ctx = await connectTestTemporal();
});
afterAll(async () => ctx?.close());

describe('backtest', () => {
  let w: TestWorld;
  afterAll(() => w?.cleanup());

  it('replays weekly runs in a copy of the data folder and scores every policy on the week after each decision', async () => {
    w = await makeWorld('strike');
    const before = await w.deps.registry.snapshot();
    const progress: number[] = [];
    // Recorded for the replay suite under the file's name: the children's ids derive from the parent's.
    const id = process.env.RECORD_HISTORIES === '1' ? 'backtest' : `backtest-test-${Date.now()}`;
    const bt = await runBacktest(
      {
        home: w.home,
        temporalAddress: inject('temporalAddress'),
        namespace: 'default',
        taskQueue: 'unused',
        uiPort: 8233,
        env: 'test',
        runDefaults: TEST_RUN_CONFIG,
      },
      {
        fromMs: WORLD_END_MS - 21 * DAY_MS,
        toMs: WORLD_END_MS - 7 * DAY_MS,
        everyDays: 7,
        id,
        workflowBundle: ctx.bundle,
        onProgress: (p) => progress.push(p.done),
      },
    );
    maybeRecord('backtest', await ctx.client.workflow.getHandle(bt.workflowId).fetchHistory());
    const weeks = bt.result.weeks;
    expect(weeks.map((x) => x.asOf.slice(0, 10))).toHaveLength(3);
    for (const week of weeks) {
      expect(week.runs.configured?.decision).toBeDefined();
      expect(week.runs.always?.decision).toBeDefined();
      expect(week.next.never?.rmse).toBeGreaterThan(0);
      expect(week.next.configured?.rmse).toBeGreaterThan(0);
    }
    expect(progress.at(-1)).toBe(6);
    // The user's registry and audit trail are untouched; the copies hold the runs.
    expect(await w.deps.registry.snapshot()).toEqual(before);
    expect(await w.deps.warehouse.listAudit()).toHaveLength(0);
    expect(existsSync(join(bt.folder, 'configured', 'warehouse.duckdb'))).toBe(true);
    // `evaluate` gives the backtest's figures: the same code on the same window.
    const first = weeks[0];
    const fromMs = Date.parse(first.asOf);
    const never = await evaluateModelOnWindow(w.deps, bt.input.startChampion.modelUri, {
      fromMs,
      toMs: fromMs + 7 * DAY_MS,
    });
    expect(never).toEqual(first.next.never);
    const summary = summarizeBacktest(bt.result);
    expect(summary.map((s) => s.policy)).toEqual(['configured', 'never', 'always']);
    const html = renderBacktestHtml(bt.result, { title: 't', generatedAt: new Date(0), command: 'c' });
    expect(html.match(/class="decision-marker"/g)).toHaveLength(3);
    const children = [];
    for await (const x of ctx.client.workflow.list({
      query: `BikeRetrainBacktest = true AND WorkflowId STARTS_WITH "${bt.workflowId}"`,
    }))
      children.push(x.workflowId);
    expect(children).toHaveLength(6);
    // `status` and the latest-run lookup leave backtest runs out.
    const latest = await latestWorkflowId(ctx.client);
    expect(latest === null || !latest.startsWith(bt.workflowId)).toBe(true);
  });
});
