import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { WorkflowFailedError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure, RetryState } from '@temporalio/common';
import { reportError } from '../../../src/cli/errors';
import { ConfigError } from '../../../src/core/errors';
import { makeTmpHome } from '../../support/tmp-home';

const { home, cleanup } = makeTmpHome('bike-retrain-cli-');
afterAll(cleanup);

const ROOT = join(__dirname, '../../..');
const MAIN = join(ROOT, 'src/cli/main.ts');
// Preloaded into the CLI process: on exit, lists every file it loaded.
const PRELOAD = join(home, 'list-loaded-modules.cjs');
writeFileSync(
  PRELOAD,
  "process.on('exit', () => require('node:fs').writeFileSync(process.env.CLI_TEST_MODULES_OUT, Object.keys(require.cache).join('\\n')));\n",
);

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** Files the process loaded (require.cache at exit). */
  modules: string[];
}

let runs = 0;
function cli(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  const out = join(home, `modules-${runs++}.txt`);
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['-r', PRELOAD, '--import', 'tsx', MAIN, ...args],
      {
        cwd: ROOT,
        env: { ...process.env, BIKE_RETRAIN_HOME: join(home, 'data'), CLI_TEST_MODULES_OUT: out, ...env },
        encoding: 'utf8',
      },
      (err, stdout, stderr) =>
        resolve({
          code: err ? Number(err.code ?? 1) : 0,
          stdout,
          stderr,
          modules: readFileSync(out, 'utf8').split('\n'),
        }),
    );
  });
}

/** What no light command may load: the Temporal SDK, DuckDB, the model engine, drift, the simulator, progress bars. */
const HEAVY = [
  '/node_modules/@temporalio/',
  '/node_modules/@google-cloud/',
  '/node_modules/@duckdb/',
  '/node_modules/cli-progress/',
  '/src/model/',
  '/src/drift/index',
  '/src/data/simulator',
  '/src/worker.ts',
];
const loaded = (r: CliRun, what: string[]) => what.filter((w) => r.modules.some((m) => m.includes(w)));

describe('bike-retrain CLI', () => {
  it('--help lists every command and loads nothing heavy (no SDK, no DuckDB, no config)', async () => {
    const r = await cli(['--help']);
    expect(r.code).toBe(0);
    for (const c of [
      'setup',
      'demo',
      'train-champion',
      'server',
      'worker',
      'trigger',
      'schedule',
      'status',
      'doctor',
      'audit',
      'approve',
      'reject',
      'registry',
      'evaluate',
      'backtest',
      'metrics',
      'data',
      'drift',
    ])
      expect(r.stdout).toMatch(new RegExp(`^  ${c}\\b`, 'm'));
    expect(loaded(r, [...HEAVY, '/node_modules/zod/'])).toEqual([]);
  });

  it('audit on the embedded storage loads DuckDB but nothing of Temporal or GCP', async () => {
    const r = await cli(['audit']);
    expect(r).toMatchObject({ code: 0, stdout: 'no audit rows yet\n' });
    expect(loaded(r, ['/node_modules/@duckdb/node-api/'])).toHaveLength(1);
    expect(
      loaded(
        r,
        HEAVY.filter((h) => h !== '/node_modules/@duckdb/'),
      ),
    ).toEqual([]);
  });

  it('status without a server says so at once, exit 1, no stack trace and no SDK loaded', async () => {
    const port = await freePort();
    const r = await cli(['status'], { TEMPORAL_ADDRESS: `127.0.0.1:${port}` });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `error: no Temporal server at 127.0.0.1:${port} (connection refused); start one with \`bike-retrain server\`\n`,
    );
    expect(loaded(r, HEAVY)).toEqual([]);
  });

  it('trigger refuses invalid --overrides before any run starts, naming the field', async () => {
    const port = await freePort();
    const r = await cli(['trigger', '--overrides', '{"promotion":{"minBaselineR2":7}}'], {
      TEMPORAL_ADDRESS: `127.0.0.1:${port}`,
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: invalid --overrides: promotion\.minBaselineR2: .*\n$/);
  });

  it('a missing input file is an error message, not a stack trace', async () => {
    const missing = join(home, 'missing.csv');
    const r = await cli(['data', 'import', missing]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`error: ${missing}: no such file or directory\n`);
  });

  it('data season loads a season once, prints the backtest that replays it, and refuses another in the same folder', async () => {
    const env = { BIKE_RETRAIN_HOME: join(home, 'season') };
    const r = await cli(['data', 'season', 'stable', '--scale', 'tiny'], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Simulated season stable: \d+ rows, 6 counters/);
    expect(r.stdout).toMatch(/backtest --from 2023-03-05 --to 2023-06-11\n$/);
    const again = await cli(['data', 'season', 'stable', '--scale', 'tiny'], env);
    expect(again.stdout).toMatch(/already in/);
    const other = await cli(['data', 'season', 'growth', '--scale', 'tiny'], env);
    expect(other.code).toBe(1);
    expect(other.stderr).toMatch(/^error: this data folder holds season stable at scale tiny, not growth at tiny/);
  });
});

describe('reportError', () => {
  it('prints expected errors as one line and keeps the stack of unexpected ones', () => {
    expect(reportError(new ConfigError('bad'))).toBe('error: bad');
    const bug = new TypeError('x is undefined');
    expect(reportError(bug)).toBe(bug.stack);
  });

  it("prints a failed run's or a refused update's own cause, not the client's generic message", () => {
    const run = new WorkflowFailedError(
      'Workflow execution failed',
      ApplicationFailure.create({
        message: 'detectDrift: no rows (file raw_counts [2099-01-01…)) (audit row written: yes)',
        nonRetryable: true,
      }),
      RetryState.NON_RETRYABLE_FAILURE,
    );
    expect(reportError(run)).toBe(
      'error: the run failed: detectDrift: no rows (file raw_counts [2099-01-01…)) (audit row written: yes)',
    );
    const update = new WorkflowUpdateFailedError(
      'Workflow Update failed',
      ApplicationFailure.create({ message: 'no deploy is waiting for approval (current step: done)' }),
    );
    expect(reportError(update)).toBe('error: refused: no deploy is waiting for approval (current step: done)');
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}
