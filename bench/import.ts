/**
 * `data import` benchmark at the real scale: 660K rows of the open-data export with real-width
 * fields (the sample's names and photo links), mixed CRLF/LF line ends and a few bad rows.
 *
 *   npx tsx bench/import.ts [--rounds 3] [--counters 75] [--days 365] [--phases] [--duckdb] [--again] [--old REV] [--runner tsx|compiled|both]
 *
 * The file is generated once and cached in <tmpdir>/bike-retrain-bench/. Each round runs the CLI
 * (`bike-retrain data import FILE --json`, its own process, a fresh data folder) from this tree
 * ("new") and from `--old REV` ("old", default the merge base with main; exported beside the file),
 * interleaved old, new, old, new…, under /usr/bin/time for wall time and peak RSS. The CLI's own
 * startup (tsx, module loading) is measured on a one-row file and reported apart.
 *
 * --runner: how the CLI runs. `tsx` (the default): the TypeScript sources, as `npm run bike-retrain`
 * does. `compiled`: the JS of `npm run build`, as the installed CLI and the Docker image run it; each
 * tree is compiled with its own tsconfig.build.json into its own folder under <tmpdir>/bike-retrain-bench
 * (never the tree's dist/, which would switch bin/bike-retrain.js to it). `both`: each round runs
 * old and new under tsx, then old and new compiled.
 *
 * --phases: where the time goes, old and new interleaved (twice), each in a child: parse only,
 * parse + validate, warehouse insert.
 * --again: time a second import of the file into the warehouse the first one filled (every row a duplicate).
 * --duckdb: DuckDB's CSV reader on the same file (all VARCHAR), the parser's limit as an anchor.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createHash } from 'node:crypto';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DAY_MS } from '../src/core/time';
import type * as Counts from '../src/core/counts';
import { compileTree as compile } from './compile-tree';
import type * as OpenDataImport from '../src/data/open-data-import';
import type * as QuoteGuardModule from '../src/data/quote-guard';
import type * as Storage from '../src/storage/index';

const ROOT = resolve(__dirname, '..');
const BENCH_DIR = join(tmpdir(), 'bike-retrain-bench');

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(process.argv[i + 1]);
}
const flag = (name: string) => process.argv.includes(`--${name}`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round2 = (x: number) => Math.round(x * 100) / 100;

async function benchFile(counters: number, days: number): Promise<{ path: string; rows: number; mb: number }> {
  mkdirSync(BENCH_DIR, { recursive: true });
  const path = join(BENCH_DIR, `open-data-${counters}x${days}-wide-mixed-v1.csv`);
  const meta = `${path}.json`;
  if (existsSync(path) && existsSync(meta)) return JSON.parse(readFileSync(meta, 'utf8')) as never;
  const { simulateCounts, writeOpenDataCsv } = await import('../src/data/simulator.js');
  const fromMs = Date.parse('2024-01-01T00:00:00Z');
  const table = simulateCounts({ scenario: 'stable', fromMs, toMs: fromMs + days * DAY_MS, counters, seed: 1 });
  const w = await writeOpenDataCsv(table, path, {
    photoLinks: true,
    lineEnds: 'mixed',
    corrupt: { seed: 1, every: 5000 },
  });
  const out = { path, rows: w.rows, mb: round2(w.bytes / 1e6) };
  writeFileSync(meta, JSON.stringify(out));
  return out;
}

/** The source tree of `--old REV` (default: where this branch left main), with this tree's node_modules. */
function oldTree(): string {
  const i = process.argv.indexOf('--old');
  const rev =
    i === -1
      ? execFileSync('git', ['merge-base', 'HEAD', 'main'], { cwd: ROOT, encoding: 'utf8' }).trim()
      : process.argv[i + 1];
  const base = execFileSync('git', ['rev-parse', rev], { cwd: ROOT, encoding: 'utf8' }).trim();
  const dir = join(BENCH_DIR, `old-${base.slice(0, 12)}`);
  if (!existsSync(join(dir, 'src', 'cli', 'main.ts'))) {
    mkdirSync(dir, { recursive: true });
    execFileSync('sh', ['-c', `git archive ${base} src tsconfig.json package.json | tar -x -C '${dir}'`], {
      cwd: ROOT,
    });
    symlinkSync(realpathSync(join(ROOT, 'node_modules')), join(dir, 'node_modules'));
  }
  // Compiled as `npm run build` does (trees exported before --runner existed lack this file).
  if (!existsSync(join(dir, 'tsconfig.build.json')))
    execFileSync('sh', ['-c', `git show ${base}:tsconfig.build.json > '${join(dir, 'tsconfig.build.json')}'`], {
      cwd: ROOT,
    });
  return dir;
}

type Runner = 'tsx' | 'compiled';

/** The CLI's entry for a tree and runner: node's arguments before the command's. */
const entries = new Map<string, string>();
function cliArgs(tree: string, runner: Runner): string[] {
  if (runner === 'tsx') return ['--import', 'tsx', join(tree, 'src/cli/main.ts')];
  const main = entries.get(tree);
  if (!main) throw new Error(`${tree} was not compiled`);
  return [main];
}

interface CliRun {
  wallS: number;
  /** User + system CPU seconds: steadier than wall time on a shared machine. */
  cpuS: number;
  peakRssMb: number;
  /** The CLI's JSON (without the quarantine file's path, which differs) and a digest of what it wrote. */
  summary: Record<string, unknown>;
}

/** What the import left behind, for the old/new comparison: the warehouse's rows and the quarantine file. */
async function digest(home: string, quarantineFile: string | null | undefined): Promise<Record<string, string>> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const db = await DuckDBInstance.create(join(home, 'warehouse.duckdb'));
  const c = await db.connect();
  const r = await c.runAndReadAll(`SELECT count(*)::VARCHAR, sum(hash(identifiant_du_compteur, nom_du_compteur,
    identifiant_du_site_de_comptage, date_et_heure_de_comptage, comptage_horaire, latitude, longitude))::VARCHAR
    FROM raw_counts`);
  const [rows, sum] = r.getColumnsJS().map((col) => String(col[0]));
  c.closeSync();
  db.closeSync();
  const quarantine = quarantineFile ? createHash('sha256').update(readFileSync(quarantineFile)).digest('hex') : '';
  return { warehouseRows: rows, warehouseHashSum: sum, quarantineSha256: quarantine };
}

async function runCli(tree: string, file: string, runner: Runner = 'tsx'): Promise<CliRun> {
  const home = mkdtempSync(join(BENCH_DIR, 'home-'));
  try {
    // --again: the file is imported once untimed, then timed into the full warehouse (all duplicates).
    if (flag('again')) importOnce(tree, file, home);
    return await timedImport(tree, file, home, runner);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

function importOnce(tree: string, file: string, home: string): void {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(tree, 'src/cli/main.ts'), 'data', 'import', file], {
    cwd: tree,
    env: { ...process.env, BIKE_RETRAIN_HOME: home },
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`import failed (${r.status}): ${r.stderr.slice(-2000)}`);
}

async function timedImport(tree: string, file: string, home: string, runner: Runner): Promise<CliRun> {
  const r = spawnSync(
    '/usr/bin/time',
    ['-f', 'BENCH %e %M %U %S', process.execPath, ...cliArgs(tree, runner), 'data', 'import', file, '--json'],
    { cwd: tree, env: { ...process.env, BIKE_RETRAIN_HOME: home }, encoding: 'utf8', maxBuffer: 64 << 20 },
  );
  const m = /BENCH ([\d.]+) (\d+) ([\d.]+) ([\d.]+)/.exec(r.stderr);
  if (r.status !== 0 || !m) throw new Error(`import failed (${r.status}): ${r.stderr.slice(-2000)}`);
  const { quarantineFile: q, ...s } = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as Record<string, unknown> & {
    quarantineFile?: string | null;
  };
  return {
    wallS: Number(m[1]),
    cpuS: round2(Number(m[3]) + Number(m[4])),
    peakRssMb: Math.round(Number(m[2]) / 1024),
    summary: { ...s, ...(await digest(home, q)) },
  };
}

function stats(runs: CliRun[]) {
  return {
    medianWallS: median(runs.map((r) => r.wallS)),
    medianCpuS: median(runs.map((r) => r.cpuS)),
    medianPeakRssMb: median(runs.map((r) => r.peakRssMb)),
    walls: runs.map((r) => r.wallS),
    peakRssMbs: runs.map((r) => r.peakRssMb),
  };
}

function oneRowFile(): string {
  const p = join(BENCH_DIR, 'one-row.csv');
  writeFileSync(
    p,
    'identifiant_du_compteur,nom_du_compteur,comptage_horaire,date_et_heure_de_comptage,latitude,longitude\nc-1,C 1,3,2024-01-01T00:00:00Z,48.8,2.3\n',
  );
  return p;
}

/**
 * In a child process, for one tree (old or new): where the time goes. parseOnly reads the file into
 * records and nothing else (old: QuoteGuard + csv-parse, whatever --old is; new: the line splitter on the file's bytes, every field cut);
 * parseValidate is importCountsFile (parse, row rules, quarantine, in-file conflicts); insert is the
 * warehouse insert in the CLI's slices (old: 100K, new: 350K) into a fresh data folder.
 */
async function phases(tree: string, file: string): Promise<void> {
  const src = (m: string) => import(join(tree, 'src', m));
  const { importCountsFile } = (await src('data/open-data-import.ts')) as typeof OpenDataImport;
  const { openWarehouse } = (await src('storage/index.ts')) as typeof Storage;
  const { sliceRows } = (await src('core/counts.ts')) as typeof Counts;
  const old = tree !== ROOT;
  const out: Record<string, number> = {};
  let t0 = performance.now();
  let records = 0;
  if (old) {
    const { createReadStream } = await import('node:fs');
    const { parse } = await import('csv-parse');
    const { QuoteGuard } = (await src('data/quote-guard.ts')) as typeof QuoteGuardModule;
    const parser = parse({
      delimiter: ';',
      record_delimiter: ['\r\n', '\n'],
      bom: true,
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
    });
    createReadStream(file).pipe(new QuoteGuard(';')).pipe(parser);
    for await (const _ of parser) records++;
  } else {
    const { forEachLine } = await import('../src/data/line-splitter.js');
    // As the importer reads it: bytes, one character each (latin1).
    await forEachLine(
      file,
      (text) => {
        if (text.length > 0) records += text.split(';').length > 0 ? 1 : 0;
      },
      undefined,
      'latin1',
    );
  }
  out.parseOnlyS = (performance.now() - t0) / 1000;
  out.records = records;
  t0 = performance.now();
  const r = await importCountsFile(file);
  out.parseValidateS = (performance.now() - t0) / 1000;
  const slice = old ? 100_000 : 350_000;
  const home = mkdtempSync(join(BENCH_DIR, 'home-'));
  try {
    const w = openWarehouse(home);
    t0 = performance.now();
    for (let from = 0; from < r.table.length; from += slice)
      await w.insertCounts(sliceRows(r.table, from, Math.min(r.table.length, from + slice)));
    out.insertS = (performance.now() - t0) / 1000;
    await w.close();
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
  out.rows = r.table.length;
  out.peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  for (const k of Object.keys(out)) out[k] = k.endsWith('S') ? round2(out[k]) : out[k];
  process.stdout.write(JSON.stringify(out));
}

/** DuckDB's CSV reader over the same file, every column VARCHAR: how fast the file can be parsed at all. */
async function duckdbScan(file: string): Promise<void> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  const t0 = performance.now();
  const r = await c.runAndReadAll(
    `SELECT count(*)::DOUBLE FROM read_csv('${file.replace(/'/g, "''")}', delim=';', header=true, all_varchar=true, strict_mode=false, ignore_errors=true)`,
  );
  const s = (performance.now() - t0) / 1000;
  const v = await c.runAndReadAll('SELECT version()');
  process.stdout.write(
    JSON.stringify({
      duckdbVersion: v.getColumnsJS()[0][0],
      rows: r.getColumnsJS()[0][0],
      scanS: round2(s),
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    }),
  );
}

function child(mode: string, file: string, tree = ROOT): Record<string, unknown> {
  const r = spawnSync(process.execPath, ['--import', 'tsx', __filename, `--${mode}-child`, file, tree], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  if (r.status !== 0) throw new Error(`${mode} failed: ${r.stderr.slice(-2000)}`);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

async function main(): Promise<void> {
  const rounds = arg('rounds', 3);
  const file = await benchFile(arg('counters', 75), arg('days', 365));
  const trees = { old: oldTree(), new: ROOT };
  const host = { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, node: process.version };
  console.error(`file ${file.path}: ${file.rows} rows, ${file.mb} MB; ${host.cpu} × ${host.cores}`);

  const runnerArg = process.argv[process.argv.indexOf('--runner') + 1];
  const runners: Runner[] = !process.argv.includes('--runner')
    ? ['tsx']
    : runnerArg === 'both'
      ? ['tsx', 'compiled']
      : [runnerArg as Runner];
  if (runners.includes('compiled'))
    for (const v of ['old', 'new'] as const) entries.set(trees[v], compile(trees[v], v));
  const tiny = oneRowFile();
  const variants = runners.flatMap((runner) =>
    (['old', 'new'] as const).map((v) => ({ v, runner, name: runner === 'tsx' ? v : `${v}Compiled` })),
  );
  const startup: Record<string, { wallS: number; cpuS: number; peakRssMb: number }> = {};
  for (const { v, runner, name } of variants) {
    const r = await runCli(trees[v], tiny, runner);
    startup[name] = { wallS: r.wallS, cpuS: r.cpuS, peakRssMb: r.peakRssMb };
  }
  const runs: Record<string, CliRun[]> = Object.fromEntries(variants.map(({ name }) => [name, []]));
  const loads: number[] = [];
  for (let i = 0; i < rounds; i++)
    for (const { v, runner, name } of variants) {
      loads.push(loadavg()[0]);
      const r = await runCli(trees[v], file.path, runner);
      runs[name].push(r);
      console.error(
        `round ${i + 1} ${name}: ${r.wallS} s wall, ${r.cpuS} s CPU, ${r.peakRssMb} MB, load ${loads.at(-1)!.toFixed(2)}`,
      );
    }
  const summaries = Object.values(runs).map((rs) => JSON.stringify(rs[0].summary));
  const same = summaries.every((s) => s === summaries[0]);
  const result: Record<string, unknown> = {
    ...host,
    file: { rows: file.rows, mb: file.mb },
    rounds,
    loadAvg1m: { min: round2(Math.min(...loads)), max: round2(Math.max(...loads)) },
    startup,
    ...Object.fromEntries(Object.entries(runs).map(([name, rs]) => [name, stats(rs)])),
    summary: runs[variants[1].name][0].summary,
    sameSummary: same,
  };
  if (flag('phases'))
    result.phases = {
      old: child('phases', file.path, trees.old),
      new: child('phases', file.path, trees.new),
      old2: child('phases', file.path, trees.old),
      new2: child('phases', file.path, trees.new),
    };
  if (flag('duckdb')) result.duckdb = child('duckdb', file.path);
  console.log(JSON.stringify(result, null, 2));
  if (!same) {
    console.error('the runs left different summaries:', summaries.join(' '));
    process.exitCode = 1;
  }
}

const childMode = process.argv.find((a) => a.endsWith('-child'));
(childMode === '--phases-child'
  ? phases(process.argv[4], process.argv[3])
  : childMode === '--duckdb-child'
    ? duckdbScan(process.argv[3])
    : main()
).catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
