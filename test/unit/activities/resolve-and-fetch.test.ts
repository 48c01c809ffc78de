import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import { runActivity } from '../../support/activity';
import { afterAll, describe, expect, it } from 'vitest';
import { makeFetchRecentData } from '../../../src/activities/fetch-recent-data';
import { makeResolveRunConfig } from '../../../src/activities/resolve-run-config';
import { DEFAULT_RUN_CONFIG } from '../../../src/config/run-config';
import { countTableFromRows, type CountRow } from '../../../src/core/counts';
import { BadInputError, ConfigError } from '../../../src/core/errors';
import { embeddedDeps } from '../../../src/worker';
import { makeTmpHome } from '../../support/tmp-home';

const { home, cleanup } = makeTmpHome();
afterAll(cleanup);
const deps = embeddedDeps({ home, env: 'test', runDefaults: DEFAULT_RUN_CONFIG });
const H = 3_600_000;
const DAY = 24 * H;
const ASOF = Date.UTC(2026, 5, 1);

function rows(days: number, bad?: { hourIndex: number; count: number }): CountRow[] {
  const out: CountRow[] = [];
  for (let h = 0; h < days * 24; h++) {
    out.push({
      counterId: 'c1',
      counterName: 'C1',
      siteId: 's1',
      timestampMs: ASOF - days * DAY + h * H,
      count: h === bad?.hourIndex ? bad.count : h % 40,
      lat: 48.8,
      lon: 2.3,
    });
  }
  return out;
}

describe('resolveRunConfig', () => {
  const resolve = makeResolveRunConfig(deps);
  const env = new MockActivityEnvironment();

  it('applies per-run overrides on top of the worker defaults', async () => {
    const r = await runActivity(
      env,
      resolve,
      { forceFineTune: true, asOf: '2026-06-01T00:00:00Z', overrides: { promotion: { minBaselineR2: 0.7 } } },
      0,
    );
    expect(r).toMatchObject({ forced: true, testMode: false, asOfMs: ASOF, triggerSource: 'manual' });
    expect(r.config.promotion).toEqual({ ...DEFAULT_RUN_CONFIG.promotion, minBaselineR2: 0.7 });
    expect(r.config.trigger).toEqual(DEFAULT_RUN_CONFIG.trigger);
  });

  it.each([
    [{ forceFineTune: 'yes' }, 'forceFineTune'],
    [{ asOf: 'last tuesday' }, 'asOf'],
    [{ overrides: { promotion: { minBaselineR2: 7 } } }, 'promotion.minBaselineR2'],
    [{ overrides: { nope: 1 } }, 'nope'],
    [{ forceFineTun: true }, 'forceFineTun'],
  ])('refuses %j naming %s', async (input, name) => {
    const err = await runActivity(env, resolve, input as never, 0).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toContain(name);
  });
});

describe('fetchRecentData', () => {
  const fetch = makeFetchRecentData(deps);
  const config = { ...DEFAULT_RUN_CONFIG, windows: { ...DEFAULT_RUN_CONFIG.windows, recentDays: 3 } };

  it('snapshots the window once; a retry returns the same snapshot; no scratch file is left', async () => {
    await deps.warehouse.insertCounts(countTableFromRows(rows(5)));
    const run = { workflowId: 'wf', runId: 'r1' };
    const env = new MockActivityEnvironment();
    const first = await runActivity(env, fetch, { run, asOfMs: ASOF, config });
    expect(first).toMatchObject({ rows: 72, counters: 1, fromMs: ASOF - 3 * DAY, toMs: ASOF - H });
    // New rows arriving in the window after the first attempt do not change what the run sees.
    await deps.warehouse.insertCounts(
      countTableFromRows([{ ...rows(1)[0], counterId: 'late', timestampMs: ASOF - 2 * H }]),
    );
    const again = await runActivity(env, fetch, { run, asOfMs: ASOF, config });
    expect(again).toEqual(first);
    const scratch = join(home, 'artifacts', 'scratch');
    expect(existsSync(scratch) ? readdirSync(scratch) : []).toEqual([]);
  });

  it('caps rows deterministically when rowCap is set', async () => {
    const capped = { ...config, fetch: { rowCap: 30, sampleSeed: 1 } };
    const env = new MockActivityEnvironment();
    const a = await runActivity(env, fetch, {
      run: { workflowId: 'wf', runId: 'cap-a' },
      asOfMs: ASOF,
      config: capped,
    });
    const b = await runActivity(env, fetch, {
      run: { workflowId: 'wf', runId: 'cap-b' },
      asOfMs: ASOF,
      config: capped,
    });
    expect(a.rows).toBe(30);
    expect(await deps.artifacts.get(a.uri)).toEqual(await deps.artifacts.get(b.uri));
  });

  it('refuses bad rows naming table, column and first bad row; refuses an empty window', async () => {
    const { home: h2, cleanup: c2 } = makeTmpHome();
    try {
      const d2 = embeddedDeps({ home: h2, env: 'test', runDefaults: DEFAULT_RUN_CONFIG });
      await d2.warehouse.insertCounts(countTableFromRows(rows(3, { hourIndex: 5, count: -4 })));
      const env = new MockActivityEnvironment();
      const err = (await runActivity(env, makeFetchRecentData(d2), {
        run: { workflowId: 'w', runId: 'r' },
        asOfMs: ASOF,
        config,
      }).catch((e: unknown) => e)) as BadInputError;
      expect(err).toBeInstanceOf(BadInputError);
      expect(err.message).toMatch(/negative count \(file raw_counts .*column "comptage_horaire", row 6, value "-4"\)/);
      const empty = await runActivity(env, makeFetchRecentData(d2), {
        run: { workflowId: 'w', runId: 'r2' },
        asOfMs: ASOF + 100 * DAY,
        config,
      }).catch((e: unknown) => e);
      expect(empty).toBeInstanceOf(BadInputError);
      expect((empty as Error).message).toContain('empty fetch');
      // Refused exports leave no scratch file behind (nor do stored ones: the helpers own their scratch files).
      const scratch = join(h2, 'artifacts', 'scratch');
      expect(existsSync(scratch) ? readdirSync(scratch) : []).toEqual([]);
    } finally {
      c2();
    }
  });
});
