import { describe, expect, it } from 'vitest';
import type { DriftAssessmentSummary, ModelMetrics } from '../../../src/core/domain';
import { DEFAULT_RUN_CONFIG } from '../../../src/config/run-config';
import {
  decidePromotion,
  decidePromotionNextWeek,
  decidePromotionNextWeekV2,
  decidePromotionPointEstimate,
  decidePromotionWithIntervals,
  decideTrigger,
  decideTriggerFromAssessment,
} from '../../../src/workflows/decision';

const m = (rmse: number, r2: number): ModelMetrics => ({ rmse, mae: rmse / 2, r2, rows: 100 });
const T = DEFAULT_RUN_CONFIG.trigger;
/** One test set's comparison: RMSE ratio and its interval. */
const set = (rmseRatio: number, lo: number, hi: number) => ({
  rmseRatio,
  lo,
  hi,
  confidence: 0.95,
  resamples: 2000,
  blocks: 50,
  wilcoxonZ: -3,
  wilcoxonP: 0.001,
});
const P = DEFAULT_RUN_CONFIG.promotion;
const NEXT_WEEK = { ...P, rule: 'next-week-v1' as const, maxBaselineRegression: 1.25, minCurrentGain: 0.02 };

describe('decideTrigger', () => {
  it.each([
    // forced, drift, champion rmse, r2 → fine-tune, rule
    [true, false, 10, 0.9, true, 'forced'],
    [true, null, 99, 0.1, true, 'forced'],
    [false, false, 50.01, 0.9, true, 'champion_rmse_above_max'],
    [false, false, 50, 0.9, false, null],
    [false, true, 20, 0.59, true, 'drift_and_degraded_r2'],
    [false, true, 20, 0.6, false, null],
    [false, false, 20, 0.1, false, null],
    [false, null, 20, 0.1, false, null],
  ] as const)('forced=%s drift=%s rmse=%s r2=%s → %s (%s)', (forced, drift, rmse, r2, fineTune, rule) => {
    const d = decideTrigger({ forced, driftDetected: drift, champion: m(rmse, r2) }, T);
    expect(d.fineTune).toBe(fineTune);
    expect(d.rule).toBe(rule);
    expect(d.reason.length).toBeGreaterThan(0);
  });

  it('honours per-run thresholds', () => {
    expect(
      decideTrigger({ forced: false, driftDetected: false, champion: m(30, 0.9) }, { ...T, maxChampionRmse: 25 }).rule,
    ).toBe('champion_rmse_above_max');
  });
});

describe('decidePromotion', () => {
  const champion = { baseline: m(20, 0.8), current: m(30, 0.7) };
  it.each([
    // challenger baseline r2, challenger current rmse → decision
    [0.59, 10, 'reject_regression'],
    [Number.NaN, 10, 'reject_regression'],
    [0.6, 29.9, 'deploy'],
    [0.8, 30, 'skip_no_improvement'],
    [0.8, 31, 'skip_no_improvement'],
  ] as const)('challenger R²(baseline)=%s RMSE(current)=%s → %s', (r2b, rmsec, decision) => {
    // The first rule, with the thresholds of its time: any gain counted.
    const d = decidePromotion(
      { champion, challenger: { baseline: m(21, r2b), current: m(rmsec, 0.75) } },
      { ...P, minRelativeImprovement: 0 },
    );
    expect(d.decision).toBe(decision);
  });

  it('requires the configured minimum relative gain', () => {
    const challenger = { baseline: m(20, 0.8), current: m(28.8, 0.75) }; // 4% better
    expect(decidePromotion({ champion, challenger }, { ...P, minRelativeImprovement: 0.05 }).decision).toBe(
      'skip_no_improvement',
    );
    expect(decidePromotion({ champion, challenger }, { ...P, minRelativeImprovement: 0.03 }).decision).toBe('deploy');
  });
});

describe('decideTriggerFromAssessment', () => {
  const assessment = (over: Partial<DriftAssessmentSummary> = {}) => ({
    triggered: false,
    severity: 'LOW',
    confidence: 0.3,
    reasons: ['no retraining signal'],
    blockedBy: [],
    qualityStatus: 'OK',
    qualityCritical: false,
    performance: null,
    ...over,
  });
  it.each([
    // forced, assessment, champion rmse → fine-tune, rule
    [true, assessment({ blockedBy: ['data-quality'] }), 10, true, 'forced'],
    [
      false,
      assessment({ triggered: true, severity: 'HIGH', reasons: ['[strong] concept drift'] }),
      10,
      true,
      'assessment_high',
    ],
    [false, assessment({ triggered: true, severity: 'CRITICAL', blockedBy: ['data-quality'] }), 10, false, null],
    [false, assessment(), 60, true, 'champion_rmse_above_max'],
    [false, assessment(), 10, false, null],
    [false, undefined, 10, false, null],
  ] as const)('forced=%s %j rmse=%s → %s (%s)', (forced, a, rmse, fineTune, rule) => {
    const d = decideTriggerFromAssessment({ forced, assessment: a, champion: m(rmse, 0.8) }, T);
    expect(d.fineTune).toBe(fineTune);
    expect(d.rule).toBe(rule);
  });

  it('says why a fine-tune was blocked', () => {
    const d = decideTriggerFromAssessment(
      { forced: false, assessment: assessment({ triggered: true, blockedBy: ['data-quality'] }), champion: m(10, 0.8) },
      T,
    );
    expect(d.reason).toMatch(/blocked by data-quality/);
  });

  it('with fineTuneEveryRun, every run trains a challenger, unless data quality blocks it', () => {
    const quiet = decideTriggerFromAssessment(
      { forced: false, everyRun: true, assessment: assessment(), champion: m(10, 0.9) },
      T,
    );
    expect(quiet).toMatchObject({ fineTune: true, rule: 'every_run' });
    expect(quiet.reason).toMatch(/promotion rule decides.*not triggered/);
    const blocked = decideTriggerFromAssessment(
      { forced: false, everyRun: true, assessment: assessment({ blockedBy: ['data-quality'] }), champion: m(10, 0.9) },
      T,
    );
    expect(blocked).toMatchObject({ fineTune: false, rule: null });
  });
});

describe('decidePromotionWithIntervals', () => {
  const champion = { baseline: m(20, 0.8), current: m(30, 0.7) };
  const challenger = { baseline: m(20, 0.8), current: m(27, 0.75) };
  it.each([
    // baseline interval, current interval, challenger R² on baseline → decision
    [set(1.0, 0.98, 1.01), set(0.9, 0.85, 0.95), 0.8, 'deploy'],
    [set(1.0, 0.98, 1.01), set(0.9, 0.85, 0.95), 0.59, 'reject_regression'],
    [set(1.01, 0.99, 1.03), set(0.9, 0.85, 0.95), 0.8, 'reject_regression'],
    [set(1.0, 0.98, 1.01), set(0.97, 0.93, 0.99), 0.8, 'skip_no_improvement'],
    [set(1.0, 0.98, 1.01), set(1.0, 0.97, 1.03), 0.8, 'skip_no_improvement'],
    [set(1.0, 0.98, 1.01), set(0.9, 0.78, 1.04), 0.8, 'skip_not_significant'],
  ] as const)('baseline %j current %j R²=%s → %s', (b, c, r2, decision) => {
    const d = decidePromotionWithIntervals(
      { champion, challenger: { ...challenger, baseline: m(20, r2) }, comparison: { baseline: b, current: c } },
      P,
    );
    expect(d.decision).toBe(decision);
    expect(d.reason).toContain(decision === 'reject_regression' && r2 >= 0.6 ? 'upper bound' : '');
  });
});

describe('decidePromotionNextWeek', () => {
  const champion = { baseline: m(20, 0.8), current: m(90, -1.8) };
  const challenger = { baseline: m(22, 0.78), current: m(17, 0.91) };
  it.each([
    // The August case: a small regression on the older period no longer keeps a collapsed champion.
    [set(1.1, 1.05, 1.36), set(0.19, 0.15, 0.24), 0.78, 'deploy'],
    // Catastrophic forgetting stays rejected: the floor, and the tolerance.
    [set(1.1, 1.05, 1.36), set(0.19, 0.15, 0.24), 0.05, 'reject_regression'],
    [set(1.4, 1.3, 1.5), set(0.5, 0.4, 0.6), 0.7, 'reject_regression'],
    // Ties and insignificant gains keep the champion.
    [set(1.0, 0.98, 1.02), set(0.99, 0.95, 1.02), 0.8, 'skip_no_improvement'],
    [set(1.0, 0.98, 1.02), set(0.9, 0.78, 1.04), 0.8, 'skip_not_significant'],
  ] as const)('baseline %j current %j R²=%s → %s', (b, c, r2, decision) => {
    const d = decidePromotionNextWeek(
      { champion, challenger: { ...challenger, baseline: m(22, r2) }, comparison: { baseline: b, current: c } },
      NEXT_WEEK,
    );
    expect(d.decision).toBe(decision);
  });
});

describe('decidePromotionNextWeekV2', () => {
  const champion = { baseline: m(20, 0.8), current: m(30, 0.6) };
  const challenger = { baseline: m(19, 0.82), current: m(29.5, 0.61) };
  it.each([
    // next-week-v1's verdicts stand: a significant gain on test_current deploys, the guards reject.
    [set(1.1, 1.05, 1.36), set(0.19, 0.15, 0.24), 0.78, 'deploy'],
    [set(1.1, 1.05, 1.36), set(0.19, 0.15, 0.24), 0.05, 'reject_regression'],
    [set(1.4, 1.3, 1.5), set(0.5, 0.4, 0.6), 0.7, 'reject_regression'],
    // Better on test_current's point estimate, significantly better on test_baseline: deploy.
    [set(0.93, 0.91, 0.95), set(0.98, 0.93, 1.01), 0.82, 'deploy'],
    // ...but not when test_current says worse, nor when test_baseline's gain is insignificant or under the minimum.
    [set(0.93, 0.91, 0.95), set(1.01, 0.97, 1.05), 0.82, 'skip_no_improvement'],
    [set(0.97, 0.93, 1.01), set(0.98, 0.93, 1.01), 0.82, 'skip_not_significant'],
    [set(0.99, 0.985, 0.995), set(0.98, 0.93, 1.01), 0.82, 'skip_not_significant'],
    // A tie on both keeps the champion: a stable season does not churn.
    [set(1.0, 0.99, 1.01), set(1.0, 0.97, 1.03), 0.8, 'skip_no_improvement'],
  ] as const)('baseline %j current %j R²=%s → %s', (b, c, r2, decision) => {
    const d = decidePromotionNextWeekV2(
      { champion, challenger: { ...challenger, baseline: m(19, r2) }, comparison: { baseline: b, current: c } },
      { ...NEXT_WEEK, rule: 'next-week-v2' },
    );
    expect(d.decision).toBe(decision);
  });

  it('says which evidence decided', () => {
    const d = decidePromotionNextWeekV2(
      {
        champion,
        challenger,
        comparison: { baseline: set(0.93, 0.91, 0.95), current: set(0.98, 0.93, 1.01) },
      },
      { ...NEXT_WEEK, rule: 'next-week-v2' },
    );
    expect(d.reason).toMatch(/better on test_current .* and significantly better on test_baseline .*7\.0% better/);
  });
});

describe('decidePromotionPointEstimate', () => {
  it('deploys on any point gain on test_current, and nothing else', () => {
    const base = { baseline: m(20, 0.1), current: m(30, 0.5) };
    expect(
      decidePromotionPointEstimate({ champion: base, challenger: { ...base, current: m(29.9, 0.5) } }).decision,
    ).toBe('deploy');
    expect(decidePromotionPointEstimate({ champion: base, challenger: base }).decision).toBe('skip_no_improvement');
  });
});

describe('decidePromotionNextWeek after a regime change', () => {
  it('judges the floor against the champion itself when the champion is below it on test_baseline', () => {
    // A lockdown champion (R² 0.1 on the pre-lockdown test_baseline) and a challenger as poor there but better now.
    const champion = { baseline: m(60, 0.1), current: m(40, 0.5) };
    const input = (r2: number) => ({
      champion,
      challenger: { baseline: m(62, r2), current: m(30, 0.7) },
      comparison: { baseline: set(1.03, 1.0, 1.06), current: set(0.75, 0.7, 0.8) },
    });
    expect(decidePromotionNextWeek(input(0.12), NEXT_WEEK).decision).toBe('deploy');
    expect(decidePromotionNextWeek(input(0.05), NEXT_WEEK).decision).toBe('reject_regression');
  });
});
