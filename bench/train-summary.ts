// bench/train.ts's results: the .jsonl lines, their medians and per-pair ratios, and the Markdown tables printed at
// the end of a run and by bench/train-table.ts (the README's). Pure: tested in test/unit/bench.
import type { Comparison, System } from './train-plan';

/** First line of a results file: where it ran. */
export interface HostLine {
  type: 'host';
  started_at: string;
  cpu: string;
  cores: number;
  mem_gib: number;
  node: string;
  python: string | null;
  sklearn: string | null;
  xgboost: string | null;
  /** os.loadavg() when the benchmark started: 1, 5, 15 minutes. */
  load_start: number[];
  train_rows: number;
  test_rows: number;
}

/** One training run (ours or an anchor), written as soon as it ends. */
export interface RunLine {
  type: 'run';
  comparison: Comparison;
  pair: number;
  system: System;
  /** The argument of the run's script (gbt:100, hgb-default…). */
  arg: string;
  /** What the run's script calls the model (gbt, hgb, xgb-hist, rf, rf-finetune). */
  model: string;
  /** Trees in the model (boosting with early stopping: the best round's). */
  trees: number;
  /** Rounds (trees) actually grown, early-stopped ones included. */
  rounds_run: number;
  train_rows: number;
  train_s: number;
  predict_s: number;
  rmse: number;
  r2: number;
  peak_rss_mb: number;
  /** 1-minute load average just before the run. */
  load1_before: number;
  at: string;
}

export interface EndLine {
  type: 'end';
  finished_at: string;
  load_end: number[];
}

export type ResultLine = HostLine | RunLine | EndLine;

export function parseResults(text: string): ResultLine[] {
  return text
    .split('\n')
    .filter((l) => l.trim().startsWith('{'))
    .map((l) => JSON.parse(l) as ResultLine);
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Ours ÷ theirs within each pair (runs matched by pair index; unmatched ones dropped), then their median. */
export function pairRatios(ours: readonly RunLine[], theirs: readonly RunLine[]): number[] {
  return ours.flatMap((o) => {
    const t = theirs.find((r) => r.pair === o.pair);
    return t ? [o.train_s / t.train_s] : [];
  });
}

export interface SystemSummary {
  comparison: Comparison;
  system: System;
  runs: number;
  trees: number;
  rounds_run: number;
  train_rows: number;
  train_s: number;
  predict_s: number;
  rmse: number;
  r2: number;
  /** The largest peak RSS over the runs. */
  peak_rss_mb: number;
}

export interface RatioSummary {
  comparison: Comparison;
  ours: SystemSummary;
  theirs: SystemSummary;
  pairs: number;
  ratios: number[];
  median_ratio: number;
  r2_diff: number;
}

function summarizeRuns(runs: RunLine[]): SystemSummary {
  const med = (f: (r: RunLine) => number) => median(runs.map(f));
  return {
    comparison: runs[0].comparison,
    system: runs[0].system,
    runs: runs.length,
    trees: med((r) => r.trees),
    rounds_run: med((r) => r.rounds_run),
    train_rows: runs[0].train_rows,
    train_s: med((r) => r.train_s),
    predict_s: med((r) => r.predict_s),
    rmse: med((r) => r.rmse),
    r2: med((r) => r.r2),
    peak_rss_mb: Math.max(...runs.map((r) => r.peak_rss_mb)),
  };
}

/** Per comparison and system, in the order they first ran. */
export function summarize(lines: readonly ResultLine[]): { systems: SystemSummary[]; ratios: RatioSummary[] } {
  const runs = lines.filter((l): l is RunLine => l.type === 'run');
  const groups = new Map<string, RunLine[]>();
  for (const r of runs) {
    const key = `${r.comparison}/${r.system}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const systems = [...groups.values()].map(summarizeRuns);
  const ratios: RatioSummary[] = [];
  for (const ours of systems.filter((s) => s.system === 'bike-retrain'))
    for (const theirs of systems.filter((s) => s.comparison === ours.comparison && s.system !== 'bike-retrain')) {
      const rs = pairRatios(
        groups.get(`${ours.comparison}/${ours.system}`)!,
        groups.get(`${theirs.comparison}/${theirs.system}`)!,
      );
      ratios.push({
        comparison: ours.comparison,
        ours,
        theirs,
        pairs: rs.length,
        ratios: rs,
        median_ratio: median(rs),
        r2_diff: ours.r2 - theirs.r2,
      });
    }
  return { systems, ratios };
}

const LABELS: Record<Comparison, Partial<Record<System, string>>> = {
  gbt: {
    'bike-retrain': 'gradient boosting, 100 rounds, 31 leaves, lr 0.1, no early stopping',
    'scikit-learn': 'HistGradientBoosting(max_iter=100, early_stopping=False)',
    xgboost: 'XGBoost hist, 100 rounds, lossguide 31 leaves, min_child_weight 20, categorical',
  },
  'gbt-default': {
    'bike-retrain': 'gradient boosting, defaults (early stopping: 10 rounds, 10% held out)',
    'scikit-learn': "HistGradientBoosting defaults (early_stopping='auto': on)",
  },
  rf50: {
    'bike-retrain': 'random forest, 50 trees, depth 20',
    'scikit-learn': 'RandomForestRegressor(50 trees, depth 20, n_jobs=-1)',
  },
  rf100: {
    'bike-retrain': 'random forest, 100 trees, depth 20',
    'scikit-learn': 'RandomForestRegressor(100 trees, depth 20, n_jobs=-1)',
  },
  finetune: {
    'bike-retrain': 'weekly fine-tune: forest 30 trees, depth 16',
  },
};

const fixed = (x: number, d: number) => (Number.isFinite(x) ? x.toFixed(d) : '–');
const signed = (x: number, d: number) => (x >= 0 ? '+' : '−') + Math.abs(x).toFixed(d);

/** "100", or "57 run, 47 kept" when early stopping dropped the last rounds. */
export function treesCell(s: Pick<SystemSummary, 'trees' | 'rounds_run'>): string {
  return s.rounds_run === s.trees ? String(s.trees) : `${s.rounds_run} run, ${s.trees} kept`;
}

function row(cells: readonly string[]): string {
  return `| ${cells.join(' | ')} |`;
}

export function hostCaption(host: HostLine | undefined, end: EndLine | undefined): string {
  if (!host) return 'Host unknown (no host line in the results).';
  const load = (l: number[] | undefined) => (l ? l.map((x) => x.toFixed(2)).join(' / ') : '?');
  const py = host.python
    ? `Python ${host.python}, scikit-learn ${host.sklearn ?? 'missing'}, XGBoost ${host.xgboost ?? 'missing'}`
    : 'no Python anchors';
  return (
    `${host.cpu}, ${host.cores} cores, ${Math.round(host.mem_gib)} GiB; Node ${host.node}; ${py}; ` +
    `${host.started_at.slice(0, 10)}, ${host.train_rows.toLocaleString('en-US')} training and ` +
    `${host.test_rows.toLocaleString('en-US')} test rows. Load average (1/5/15 min) ${load(host.load_start)} at the ` +
    `start, ${load(end?.load_end)} at the end.`
  );
}

/** The per-system table: medians over the runs (peak RSS: the largest). */
export function systemsTable(systems: readonly SystemSummary[]): string {
  const head = ['model', 'system', 'runs', 'trees', 'train s', 'predict s (test)', 'RMSE', 'R²', 'peak RSS MB'];
  const lines = [row(head), row(['---', '---', '---:', '---:', '---:', '---:', '---:', '---:', '---:'])];
  for (const s of systems) {
    const rows = s.comparison === 'finetune' ? `, ${s.train_rows.toLocaleString('en-US')} rows` : '';
    lines.push(
      row([
        (LABELS[s.comparison][s.system] ?? s.comparison) + rows,
        s.system,
        String(s.runs),
        treesCell(s),
        fixed(s.train_s, 2),
        fixed(s.predict_s, 2),
        fixed(s.rmse, 2),
        fixed(s.r2, 4),
        String(s.peak_rss_mb),
      ]),
    );
  }
  return lines.join('\n');
}

/** The ratio table: ours ÷ theirs per pair, their median (and range). */
export function ratiosTable(ratios: readonly RatioSummary[]): string {
  const head = ['comparison', 'vs', 'pairs', 'trees ours / theirs', 'train s ours', 'train s theirs'];
  head.push('train time ratio (median of pairs)', 'R² ours', 'R² theirs', 'R² diff');
  const lines = [row(head), row(['---', '---', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:'])];
  for (const r of ratios) {
    const range = r.ratios.length > 1 ? ` (${fixed(Math.min(...r.ratios), 2)}–${fixed(Math.max(...r.ratios), 2)})` : '';
    lines.push(
      row([
        r.comparison,
        r.theirs.system,
        String(r.pairs),
        `${treesCell(r.ours)} / ${treesCell(r.theirs)}`,
        fixed(r.ours.train_s, 2),
        fixed(r.theirs.train_s, 2),
        `**${fixed(r.median_ratio, 3)}**${range}`,
        fixed(r.ours.r2, 4),
        fixed(r.theirs.r2, 4),
        signed(r.r2_diff, 4),
      ]),
    );
  }
  return lines.join('\n');
}

/** A line saying so when runs started with more runnable work than cores: such timings are not a quiet machine's. */
export function loadWarning(lines: readonly ResultLine[], host: HostLine | undefined): string[] {
  const loads = lines.filter((l): l is RunLine => l.type === 'run').map((l) => l.load1_before);
  const worst = Math.max(...loads, ...(host?.load_start.slice(0, 1) ?? []));
  if (!host || !(worst > host.cores)) return [];
  return [
    `**Busy host: runs started at a 1-minute load average up to ${worst.toFixed(1)} on ${host.cores} cores** ` +
      '(other work shared the CPU): the timings are not those of a quiet machine, and contention need not hit ' +
      'both sides of a pair alike.',
    '',
  ];
}

/** Caption and both tables, as the README shows them. */
export function renderMarkdown(lines: readonly ResultLine[]): string {
  const host = lines.find((l): l is HostLine => l.type === 'host');
  const end = lines.find((l): l is EndLine => l.type === 'end');
  const { systems, ratios } = summarize(lines);
  return [
    ...loadWarning(lines, host),
    `\`npm run bench:train\`, each of our runs interleaved with its anchors (ours, theirs, ours, theirs…, each in its ` +
      `own process): ${hostCaption(host, end)} Times are medians over the runs; the ratio is the median of the ` +
      `per-pair ratios (ours ÷ theirs), with their range.`,
    '',
    systemsTable(systems),
    '',
    ratiosTable(ratios),
    '',
  ].join('\n');
}
