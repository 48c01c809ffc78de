// The runs of bench/train.ts, in order: each of our models interleaved with its anchors (ours_i, theirs_i, ours_i+1,
// theirs_i+1…), so host drift lands on both sides of a pair instead of in the ratio. Pure: tested in test/unit/bench.

export type Comparison = 'gbt' | 'gbt-default' | 'rf50' | 'rf100' | 'finetune';
export type System = 'bike-retrain' | 'scikit-learn' | 'xgboost';

/** What `--only` selects: `gbt` brings the defaults-with-early-stopping pair along. */
export const SELECTABLE = ['gbt', 'rf50', 'rf100', 'finetune'] as const;
export type Selectable = (typeof SELECTABLE)[number];

export interface PlannedRun {
  comparison: Comparison;
  /** 0-based; a pair is one run of ours and one of each anchor, adjacent. */
  pair: number;
  system: System;
  /** The argument of bench/train-one.ts (ours) or bench/sklearn_compare.py (anchors). */
  model: string;
}

export interface PlanOptions {
  only: readonly Selectable[];
  /** Pairs for gbt and rf50 (default 3) and rf100 (default 1, minutes a pair): `--pairs N` sets all three. */
  pairs?: number;
  /** Anchors left out because their Python package is missing. */
  skip?: readonly System[];
}

interface Group {
  comparison: Comparison;
  select: Selectable;
  defaultPairs: number;
  /** Pairs independent of --pairs: reported once each. */
  fixed?: boolean;
  runs: [System, string][];
}

const GROUPS: Group[] = [
  {
    comparison: 'gbt',
    select: 'gbt',
    defaultPairs: 3,
    runs: [
      ['bike-retrain', 'gbt:100'],
      ['scikit-learn', 'hgb:100'],
      ['xgboost', 'xgb:100'],
    ],
  },
  {
    comparison: 'gbt-default',
    select: 'gbt',
    defaultPairs: 1,
    fixed: true,
    runs: [
      ['bike-retrain', 'gbt-default'],
      ['scikit-learn', 'hgb-default'],
    ],
  },
  {
    comparison: 'rf50',
    select: 'rf50',
    defaultPairs: 3,
    runs: [
      ['bike-retrain', 'rf:50'],
      ['scikit-learn', 'rf:50'],
    ],
  },
  {
    comparison: 'rf100',
    select: 'rf100',
    defaultPairs: 1,
    runs: [
      ['bike-retrain', 'rf:100'],
      ['scikit-learn', 'rf:100'],
    ],
  },
  { comparison: 'finetune', select: 'finetune', defaultPairs: 1, fixed: true, runs: [['bike-retrain', 'finetune']] },
];

export function planRuns(o: PlanOptions): PlannedRun[] {
  const out: PlannedRun[] = [];
  for (const g of GROUPS) {
    if (!o.only.includes(g.select)) continue;
    const pairs = g.fixed ? g.defaultPairs : (o.pairs ?? g.defaultPairs);
    for (let pair = 0; pair < pairs; pair++)
      for (const [system, model] of g.runs)
        if (!o.skip?.includes(system)) out.push({ comparison: g.comparison, pair, system, model });
  }
  return out;
}

/** `--only gbt,rf50`: the names, checked. */
export function parseOnly(arg: string | undefined): Selectable[] {
  if (arg === undefined) return [...SELECTABLE];
  const names = arg.split(',').map((s) => s.trim());
  const bad = names.filter((n) => !(SELECTABLE as readonly string[]).includes(n));
  if (bad.length > 0) throw new Error(`--only: unknown ${bad.join(', ')} (expected some of ${SELECTABLE.join(',')})`);
  return names as Selectable[];
}
