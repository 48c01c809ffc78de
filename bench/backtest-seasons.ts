/**
 * Backtests of the weekly workflow on the simulated seasons (src/data/seasons.ts):
 * for each season, a fresh data folder, the season loaded, a champion from a
 * full retrain on train_baseline, then `runBacktest` over the season's weekly
 * Sundays: the configured policy, "never", "always", and optional candidates.
 * Starts its own Temporal dev server; writes one JSON line per season to
 * bench/results/backtest-seasons-<scale>.jsonl as it goes.
 *
 *   npx tsx bench/backtest-seasons.ts [--scale tiny|small|full] [--seasons a,b]
 *     [--overrides JSON] [--candidates '{"name": OVERRIDES, …}']
 */
import { appendFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode } from '@temporalio/worker';
import { runBacktest } from '../src/backtest/run-backtest';
import { backtestTable, summarizeBacktest } from '../src/backtest/summary';
import { trainChampionFromBaseline } from '../src/champion/train-champion';
import { DEFAULT_RUN_CONFIG, fullRetrainParams, resolveRunConfig } from '../src/config/run-config';
import type { SimulationScale } from '../src/data/baseline';
import { ensureSeason } from '../src/data/season-world';
import { resolveSeason, SEASON_NAMES } from '../src/data/seasons';
import { installCliRuntime } from '../src/temporal/runtime';
import { ensureTemporalCli } from '../src/temporal/temporal-cli';
import { embeddedDeps, workflowsPath } from '../src/worker';
import { ALL_SEARCH_ATTRIBUTES } from '../src/workflows/search-attributes';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      scale: { type: 'string', default: 'small' },
      seasons: { type: 'string', default: SEASON_NAMES.join(',') },
      overrides: { type: 'string' },
      candidates: { type: 'string' },
      keep: { type: 'boolean', default: false },
    },
  });
  const scale = values.scale as SimulationScale;
  const seasons = values.seasons!.split(',').map(resolveSeason);
  const overrides = values.overrides ? JSON.parse(values.overrides) : undefined;
  const candidates = values.candidates
    ? Object.entries(JSON.parse(values.candidates) as Record<string, unknown>).map(([policy, o]) => ({
        policy,
        overrides: o,
      }))
    : [];
  const runDefaults = resolveRunConfig(DEFAULT_RUN_CONFIG, {});
  const out = join(__dirname, 'results', `backtest-seasons-${scale}.jsonl`);
  mkdirSync(join(__dirname, 'results'), { recursive: true });

  installCliRuntime();
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: ensureTemporalCli() },
      searchAttributes: [...ALL_SEARCH_ATTRIBUTES],
      extraArgs: ['--log-level', 'error'],
    },
  });
  const quiet = () => undefined;
  const workflowBundle = await bundleWorkflowCode({
    workflowsPath,
    logger: { trace: quiet, debug: quiet, info: quiet, warn: quiet, error: console.error, log: quiet },
  });
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  try {
    for (const season of seasons) {
      const home = mkdtempSync(join(tmpdir(), `bike-retrain-season-${season}-`));
      try {
        const cfg = {
          home,
          temporalAddress: env.address,
          namespace: 'default',
          taskQueue: 'unused',
          uiPort: 8233,
          env: 'backtest',
          runDefaults,
        };
        const deps = embeddedDeps(cfg);
        const t0 = performance.now();
        const world = await ensureSeason(deps, { season, scale }, (m) => console.error(m));
        const champion = await trainChampionFromBaseline(deps, fullRetrainParams(runDefaults), {
          source: { workflowId: 'backtest-seasons', runId: `${season}-${scale}` },
        });
        const tPrep = (performance.now() - t0) / 1000;
        const t1 = performance.now();
        const bt = await runBacktest(cfg, {
          fromMs: world.asOfs[0],
          toMs: world.asOfs[world.asOfs.length - 1],
          everyDays: 7,
          overrides,
          candidates,
          id: `backtest-${season}-${scale}-${Date.now()}`,
          workflowBundle,
          onProgress: (p) => p.current && process.stderr.write(`  ${p.done}/${p.total} ${p.current}\n`),
        });
        const seconds = (performance.now() - t1) / 1000;
        console.log(
          `\n## ${season} (${scale}): ${world.asOfs.length} weeks, backtest ${seconds.toFixed(0)} s (setup ${tPrep.toFixed(0)} s)`,
        );
        console.log(backtestTable(bt.result));
        appendFileSync(
          out,
          JSON.stringify({
            at: new Date().toISOString(),
            cpu,
            season,
            scale,
            weeks: world.asOfs.length,
            championTestBaseline: champion.testBaseline,
            overrides: overrides ?? null,
            candidates,
            seconds,
            summary: summarizeBacktest(bt.result),
            weeksDetail: bt.result.weeks,
          }) + '\n',
        );
      } finally {
        if (!values.keep) rmSync(home, { recursive: true, force: true });
      }
    }
  } finally {
    await env.teardown();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
