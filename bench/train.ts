// npm run bench:train — our forest and boosting against scikit-learn (and XGBoost) on the same simulated full-scale
// data (≈657K training, ≈131K test rows), interleaved: ours, theirs, ours, theirs… (bench/train-plan.ts), every run
// in its own process so peak RSS is its own. A full run takes 10+ minutes, so each result is appended to
// bench/results/train-<timestamp>.jsonl as soon as its run ends; latest.jsonl is a copy made at the end.
//
//   npm run bench:train -- [--data DIR] [--only gbt,rf50,rf100,finetune] [--pairs N]
//
// --data reuses the files of an earlier run (else they are simulated into bench/results/data).
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { buildBaselineSets, simulateBaselineTable } from '../src/data/baseline';
import { buildFeatures, fitFeatureSpec } from '../src/features/pipeline';
import { readBenchMeta } from './bench-data';
import { parseOnly, planRuns, type PlannedRun, type System } from './train-plan';
import { renderMarkdown, type EndLine, type HostLine, type ResultLine, type RunLine } from './train-summary';

const resultsDir = join(__dirname, 'results');

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? undefined : process.argv[i + 1];
}

function writeMatrix(dataDir: string, name: string, cols: readonly Float32Array[], y: Float64Array): void {
  const n = y.length;
  const X = new Float32Array(n * cols.length); // row-major, as numpy wants it
  cols.forEach((c, j) => {
    for (let i = 0; i < n; i++) X[i * cols.length + j] = c[i];
  });
  writeFileSync(join(dataDir, `${name}-X.f32`), Buffer.from(X.buffer));
  writeFileSync(join(dataDir, `${name}-y.f64`), Buffer.from(y.buffer));
}

function simulateData(dataDir: string): void {
  mkdirSync(dataDir, { recursive: true });
  const sim = simulateBaselineTable({ scale: 'full', seed: 1, endMs: Date.UTC(2026, 9, 1) });
  const sets = buildBaselineSets({ table: sim.table, testFromMs: sim.testFromMs });
  const spec = fitFeatureSpec(sets.train);
  const tr = buildFeatures(sets.train, spec);
  const te = buildFeatures(sets.test, spec);
  writeMatrix(dataDir, 'train', tr.X.columns, tr.y);
  writeMatrix(dataDir, 'test', te.X.columns, te.y);
  const meta = { names: tr.X.names, kinds: tr.X.kinds, train_rows: tr.y.length, test_rows: te.y.length };
  writeFileSync(join(dataDir, 'meta.json'), JSON.stringify(meta));
}

/** Debian's python3-sklearn and python3-xgboost live under /usr/bin/python3, which a pyenv python3 on PATH may shadow. */
function findPython(): { python: string; versions: Record<string, string | null> } | undefined {
  for (const py of ['/usr/bin/python3', 'python3'])
    try {
      const out = execFileSync(py, [join(__dirname, 'sklearn_compare.py'), 'versions'], { encoding: 'utf8' });
      const versions = JSON.parse(out) as Record<string, string | null>;
      if (versions.sklearn || versions.xgboost) return { python: py, versions };
    } catch {
      // not this one
    }
  return undefined;
}

function runOne(r: PlannedRun, dataDir: string, python: string | undefined): Record<string, unknown> {
  const [cmd, args] =
    r.system === 'bike-retrain'
      ? [process.execPath, ['--import', 'tsx', join(__dirname, 'train-one.ts'), r.model, dataDir]]
      : [python!, [join(__dirname, 'sklearn_compare.py'), r.model, dataDir]];
  const out = spawnSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 20 });
  if (out.status !== 0) throw new Error(`${r.system} ${r.model} failed (exit ${out.status})`);
  const line = out.stdout.split('\n').find((l) => l.startsWith('{'));
  if (!line) throw new Error(`${r.system} ${r.model} printed no result`);
  return JSON.parse(line) as Record<string, unknown>;
}

function main(): void {
  const only = parseOnly(flag('only'));
  const pairs = flag('pairs') === undefined ? undefined : Number(flag('pairs'));
  if (pairs !== undefined && !(Number.isInteger(pairs) && pairs >= 1)) throw new Error('--pairs: a whole number ≥ 1');
  const dataDir = resolve(flag('data') ?? join(resultsDir, 'data'));
  if (flag('data') === undefined) {
    console.error(`simulating the data into ${dataDir}…`);
    simulateData(dataDir);
  } else if (!existsSync(join(dataDir, 'meta.json'))) throw new Error(`--data ${dataDir}: no meta.json there`);
  const meta = readBenchMeta(dataDir) as ReturnType<typeof readBenchMeta> & { train_rows: number; test_rows: number };

  const py = findPython();
  const skip: System[] = [];
  if (!py?.versions.sklearn) skip.push('scikit-learn');
  if (!py?.versions.xgboost) skip.push('xgboost');
  if (skip.length > 0) console.error(`not found: ${skip.join(', ')} (apt-get install python3-sklearn python3-xgboost)`);
  const plan = planRuns({ only, pairs, skip });

  mkdirSync(resultsDir, { recursive: true });
  const startedAt = new Date().toISOString();
  const file = join(resultsDir, `train-${startedAt.replace(/[:.]/g, '-')}.jsonl`);
  const lines: ResultLine[] = [];
  const write = (l: ResultLine) => {
    appendFileSync(file, JSON.stringify(l) + '\n');
    lines.push(l);
  };
  const host: HostLine = {
    type: 'host',
    started_at: startedAt,
    cpu: cpus()[0]?.model ?? 'unknown CPU',
    cores: cpus().length,
    mem_gib: +(totalmem() / 2 ** 30).toFixed(1),
    node: process.version,
    python: py?.versions.python ?? null,
    sklearn: py?.versions.sklearn ?? null,
    xgboost: py?.versions.xgboost ?? null,
    load_start: loadavg(),
    train_rows: meta.train_rows,
    test_rows: meta.test_rows,
  };
  write(host);
  console.error(`${plan.length} runs → ${file}`);

  plan.forEach((r, k) => {
    const load1 = loadavg()[0];
    console.error(
      `[${k + 1}/${plan.length}] ${r.comparison} pair ${r.pair + 1}: ${r.system} ${r.model} (load ${load1.toFixed(2)})`,
    );
    const result = runOne(r, dataDir, py?.python);
    const { comparison, pair, system, model: arg } = r;
    const line = {
      type: 'run',
      comparison,
      pair,
      arg,
      ...result,
      system,
      load1_before: load1,
      at: new Date().toISOString(),
    };
    write(line as RunLine);
    console.error(
      `    train ${String(result.train_s)} s, R² ${String(result.r2)}, peak ${String(result.peak_rss_mb)} MB`,
    );
  });

  const end: EndLine = { type: 'end', finished_at: new Date().toISOString(), load_end: loadavg() };
  write(end);
  copyFileSync(file, join(resultsDir, 'latest.jsonl'));
  console.log(renderMarkdown(lines));
  console.error(
    `results: ${file} (and bench/results/latest.jsonl); npm run bench:train:table -- FILE renders them again`,
  );
}

main();
