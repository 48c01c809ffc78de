import { describe, expect, it } from 'vitest';
import { parseOnly, planRuns } from '../../../bench/train-plan';
import {
  median,
  pairRatios,
  parseResults,
  renderMarkdown,
  summarize,
  treesCell,
  type ResultLine,
  type RunLine,
} from '../../../bench/train-summary';

function run(over: Partial<RunLine>): RunLine {
  return {
    type: 'run',
    comparison: 'gbt',
    pair: 0,
    system: 'bike-retrain',
    arg: 'gbt:100',
    model: 'gbt',
    trees: 100,
    rounds_run: 100,
    train_rows: 657_000,
    train_s: 1,
    predict_s: 0.1,
    rmse: 31.5,
    r2: 0.842,
    peak_rss_mb: 200,
    load1_before: 0.5,
    at: '2026-12-02T00:00:00Z',
    ...over,
  };
}

const host: ResultLine = {
  type: 'host',
  started_at: '2026-12-02T15:00:00.000Z',
  cpu: 'AMD EPYC',
  cores: 2,
  mem_gib: 23.5,
  node: 'v20.20.2',
  python: '3.11.2',
  sklearn: '1.2.1',
  xgboost: '1.7.4',
  load_start: [0.5, 0.4, 0.3],
  train_rows: 657_000,
  test_rows: 131_400,
};

describe('bench:train summary', () => {
  it('takes the median of odd and even counts', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it('divides within each pair, not the medians: host drift stays out of the ratio', () => {
    // The host slows down by 2× between pairs; each pair's ratio is 0.5 whatever the drift.
    const ours = [run({ pair: 0, train_s: 1 }), run({ pair: 1, train_s: 2 }), run({ pair: 2, train_s: 4 })];
    const theirs = ours.map((r) => run({ ...r, system: 'scikit-learn', train_s: r.train_s * 2 }));
    expect(pairRatios(ours, theirs)).toEqual([0.5, 0.5, 0.5]);
    // An unmatched run (its partner failed) is left out.
    expect(pairRatios([...ours, run({ pair: 3 })], theirs)).toHaveLength(3);
  });

  it('summarizes each comparison against each anchor', () => {
    const lines: ResultLine[] = [
      host,
      run({ pair: 0, train_s: 3 }),
      run({ pair: 0, system: 'scikit-learn', train_s: 4, r2: 0.843 }),
      run({ pair: 0, system: 'xgboost', train_s: 2, r2: 0.844 }),
      run({ pair: 1, train_s: 5 }),
      run({ pair: 1, system: 'scikit-learn', train_s: 10, r2: 0.843 }),
      run({ pair: 1, system: 'xgboost', train_s: 2, r2: 0.844 }),
      run({ comparison: 'finetune', arg: 'finetune', model: 'rf-finetune', trees: 30, rounds_run: 30 }),
    ];
    const { systems, ratios } = summarize(lines);
    expect(systems.map((s) => `${s.comparison}/${s.system}`)).toEqual([
      'gbt/bike-retrain',
      'gbt/scikit-learn',
      'gbt/xgboost',
      'finetune/bike-retrain',
    ]);
    const [sk, xgb] = ratios;
    expect(sk.theirs.system).toBe('scikit-learn');
    expect(sk.ratios).toEqual([0.75, 0.5]);
    expect(sk.median_ratio).toBeCloseTo(0.625);
    expect(sk.r2_diff).toBeCloseTo(-0.001);
    expect(xgb.median_ratio).toBe(2);
    expect(ratios).toHaveLength(2); // the fine-tune has no anchor

    const md = renderMarkdown(lines);
    expect(md).toContain('AMD EPYC, 2 cores');
    expect(md).toContain(
      '| gbt | scikit-learn | 2 | 100 / 100 | 4.00 | 7.00 | **0.625** (0.50–0.75) | 0.8420 | 0.8430 | −0.0010 |',
    );
    expect(md).not.toContain('Busy host');
    expect(parseResults(lines.map((l) => JSON.stringify(l)).join('\n'))).toEqual(lines);
  });

  it('says when early stopping dropped rounds, and when the host was busy', () => {
    expect(treesCell({ trees: 47, rounds_run: 57 })).toBe('57 run, 47 kept');
    expect(treesCell({ trees: 100, rounds_run: 100 })).toBe('100');
    expect(renderMarkdown([host, run({ load1_before: 9.4 })])).toContain('load average up to 9.4 on 2 cores');
  });
});

describe('bench:train plan', () => {
  it('interleaves ours with each anchor, pair by pair', () => {
    const plan = planRuns({ only: ['gbt', 'rf50'], pairs: 2 });
    expect(plan.map((r) => `${r.comparison}:${r.pair}:${r.system}`)).toEqual([
      'gbt:0:bike-retrain',
      'gbt:0:scikit-learn',
      'gbt:0:xgboost',
      'gbt:1:bike-retrain',
      'gbt:1:scikit-learn',
      'gbt:1:xgboost',
      'gbt-default:0:bike-retrain',
      'gbt-default:0:scikit-learn',
      'rf50:0:bike-retrain',
      'rf50:0:scikit-learn',
      'rf50:1:bike-retrain',
      'rf50:1:scikit-learn',
    ]);
  });

  it('defaults to 3 pairs (1 for the 100-tree forest) and leaves out missing anchors', () => {
    const plan = planRuns({ only: parseOnly(undefined), skip: ['xgboost'] });
    const count = (c: string) => plan.filter((r) => r.comparison === c).length;
    expect([count('gbt'), count('gbt-default'), count('rf50'), count('rf100'), count('finetune')]).toEqual([
      6, 2, 6, 2, 1,
    ]);
    expect(() => parseOnly('gbt,svm')).toThrow(/unknown svm/);
  });
});
