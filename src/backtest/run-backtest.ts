import { copyFile, cp, link, mkdir, readdir, stat, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, NativeConnection } from '@temporalio/worker';
import type { AppConfig } from '../config/app-config';
import { resolveRunConfig } from '../config/run-config';
import type { BacktestChain, BacktestInput, BacktestProgress, BacktestResult } from '../core/domain';
import { ConfigError } from '../core/errors';
import { DAY_MS } from '../core/time';
import { createWorker, embeddedDeps, workflowsPath, type CreateWorkerOptions } from '../worker';
import { backtestProgressQuery } from '../workflows/definitions';

export interface BacktestOptions {
  fromMs: number;
  toMs: number;
  everyDays: number;
  /** Per-run overrides of the configured policy (the "always" chain gets them too, with its own rule). */
  overrides?: unknown;
  onProgress?: (p: BacktestProgress) => void;
  /** Names the backtest's folder and workflow id (default: the start time). */
  id?: string;
  /** More chains to compare, each with its own overrides (e.g. a candidate promotion rule). */
  candidates?: { policy: string; overrides: unknown }[];
  /** Tests pass a bundle built once; otherwise each worker bundles the workflow code. */
  workflowBundle?: CreateWorkerOptions['workflowBundle'];
}

export interface BacktestRunInfo {
  workflowId: string;
  folder: string;
  input: BacktestInput;
  result: BacktestResult;
}

/**
 * The data a weekly run writes by key: each chain gets its own copy. Everything
 * else is referenced by absolute URI and only read.
 */
const COPIED = ['warehouse.duckdb', 'warehouse.duckdb.wal', 'artifacts/registry'];
/** Never written by a weekly run (the data commands replace them, atomically): hard links, not copies. */
const LINKED = ['artifacts/datasets'];
/**
 * Caches keyed by content (a model's sha256, a data set's hash), written
 * atomically: every chain's `artifacts/cache` is one folder, seeded with hard
 * links to the data folder's, so what one chain computes (the starting
 * champion's test_baseline predictions…) the others read.
 */
const SHARED_CACHE = 'artifacts/cache';

/**
 * `bike-retrain backtest`: replays the weekly workflow over [from, to] on
 * copies of the data folder (the user's registry, champion and audit trail are
 * untouched), one copy per policy chain, each served by a worker of its own on
 * a private task queue of the same Temporal server; the backtest itself is one
 * parent workflow, visible as such in the Web UI.
 */
export async function runBacktest(
  cfg: Omit<AppConfig, 'heavyTaskQueue' | 'storage'> & Partial<Pick<AppConfig, 'storage'>>,
  o: BacktestOptions,
): Promise<BacktestRunInfo> {
  // Each policy chain needs a warehouse and registry of its own: copies of a data folder are cheap, of BigQuery tables not.
  if (cfg.storage && cfg.storage.kind !== 'embedded')
    throw new ConfigError(
      'backtest runs on copies of an embedded data folder: run it with BIKE_RETRAIN_STORAGE=embedded (load the history with `bike-retrain data import`)',
    );
  const asOfs: string[] = [];
  for (let t = o.fromMs; t <= o.toMs; t += o.everyDays * DAY_MS) asOfs.push(new Date(t).toISOString());
  if (asOfs.length === 0) throw new ConfigError('backtest: --from must not be after --to');
  resolveRunConfig(cfg.runDefaults, o.overrides, '--overrides'); // refuse a typo before copying anything
  const id = o.id ?? `backtest-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  const folder = join(cfg.home, 'backtests', id);
  const start = await embeddedDeps(cfg).registry.champion();
  if (!start) throw new ConfigError('backtest: no champion registered: run `bike-retrain train-champion` first');

  const chains: BacktestChain[] = [
    {
      policy: 'configured',
      taskQueue: `${id}-configured`,
      input: { ...(o.overrides ? { overrides: o.overrides } : {}) },
    },
    {
      policy: 'always',
      taskQueue: `${id}-always`,
      input: { forceFineTune: true, overrides: withRule(o.overrides, 'point-estimate') },
    },
  ];
  for (const c of o.candidates ?? []) {
    resolveRunConfig(cfg.runDefaults, c.overrides, `candidate ${c.policy}`);
    if (chains.some((x) => x.policy === c.policy) || c.policy === 'never')
      throw new ConfigError(`backtest: candidate name "${c.policy}" is taken`);
    chains.push({ policy: c.policy, taskQueue: `${id}-${c.policy}`, input: { overrides: c.overrides } });
  }
  const sharedCache = join(folder, 'cache');
  await linkTree(join(cfg.home, SHARED_CACHE), sharedCache);
  await mkdir(sharedCache, { recursive: true });
  for (const c of chains) await copyDataFolder(cfg.home, join(folder, c.policy), sharedCache);
  const input: BacktestInput = {
    asOfs,
    horizonMs: o.everyDays * DAY_MS,
    chains,
    startChampion: { version: start.version, modelUri: start.modelUri },
    scoreTaskQueue: chains[0].taskQueue,
  };

  const native = await NativeConnection.connect({ address: cfg.temporalAddress });
  const connection = await Connection.connect({ address: cfg.temporalAddress });
  try {
    // One bundle for every chain's worker (each would otherwise bundle the same code).
    const workflowBundle =
      o.workflowBundle ?? (await bundleWorkflowCode({ workflowsPath, logger: quietBundlerLogger }));
    const workers = await Promise.all(
      chains.map((c) =>
        createWorker({
          connection: native,
          namespace: cfg.namespace,
          taskQueue: c.taskQueue,
          deps: embeddedDeps({ ...cfg, home: join(folder, c.policy), webhookUrl: undefined }),
          workflowBundle,
        }),
      ),
    );
    const client = new Client({ connection, namespace: cfg.namespace });
    const run = async (): Promise<BacktestResult> => {
      const handle = await client.workflow.start('backtestMonitorAndFineTune', {
        taskQueue: chains[0].taskQueue,
        workflowId: id,
        args: [input],
        staticSummary: `backtest ${asOfs[0].slice(0, 10)} → ${asOfs[asOfs.length - 1].slice(0, 10)}, every ${o.everyDays} d`,
      });
      const poll = setInterval(() => {
        handle
          .query(backtestProgressQuery)
          .then((p) => o.onProgress?.(p))
          .catch(() => undefined);
      }, 500);
      try {
        return (await handle.result()) as BacktestResult;
      } finally {
        clearInterval(poll);
      }
    };
    // Every chain's worker runs until the parent workflow is done.
    const result = await workers.reduce<() => Promise<BacktestResult>>((inner, w) => () => w.runUntil(inner()), run)();
    o.onProgress?.({ done: asOfs.length * chains.length, total: asOfs.length * chains.length, current: null });
    return { workflowId: id, folder, input, result };
  } finally {
    await connection.close();
    await native.close();
  }
}

function withRule(overrides: unknown, rule: string): unknown {
  const o = (overrides ?? {}) as Record<string, unknown>;
  return { ...o, promotion: { ...((o.promotion as Record<string, unknown>) ?? {}), rule } };
}

async function copyDataFolder(from: string, to: string, sharedCache: string): Promise<void> {
  await mkdir(join(to, 'artifacts'), { recursive: true });
  for (const rel of COPIED) {
    const src = join(from, rel);
    const kind = await kindOf(src);
    if (kind === 'dir') await cp(src, join(to, rel), { recursive: true });
    else if (kind === 'file') await copyFile(src, join(to, rel));
  }
  for (const rel of LINKED) await linkTree(join(from, rel), join(to, rel));
  await symlink(sharedCache, join(to, SHARED_CACHE), 'dir');
}

/** Hard links to every file under `from` (copies across file systems); nothing when `from` is missing. */
async function linkTree(from: string, to: string): Promise<void> {
  const kind = await kindOf(from);
  if (kind === 'file')
    await link(from, to).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'EXDEV' && err.code !== 'EPERM') throw err;
      return copyFile(from, to);
    });
  else if (kind === 'dir') {
    await mkdir(to, { recursive: true });
    for (const name of await readdir(from)) await linkTree(join(from, name), join(to, name));
  }
}

async function kindOf(path: string): Promise<'dir' | 'file' | null> {
  return stat(path).then(
    (s) => (s.isDirectory() ? 'dir' : 'file'),
    () => null,
  );
}

const quiet = () => undefined;
const quietBundlerLogger = { trace: quiet, debug: quiet, info: quiet, warn: quiet, error: console.error, log: quiet };
