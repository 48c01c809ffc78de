import type { RunConfig } from '../config/run-config';
import type {
  Decision,
  DoubleEvaluation,
  DriftAssessmentSummary,
  ModelMetrics,
  TestSetMetrics,
  TriggerDecision,
} from '../core/domain';

/**
 * The two decisions of a weekly run, as pure functions: imported by workflow
 * code (so no I/O, no clock, no randomness) and unit-tested as tables.
 * Changing them changes what committed histories replay to: guard any change
 * with `patched()` in the workflow.
 */

export interface TriggerInput {
  forced: boolean;
  driftDetected: boolean | null;
  champion: Pick<ModelMetrics, 'rmse' | 'r2'> | null;
}

export function decideTrigger(input: TriggerInput, t: RunConfig['trigger']): TriggerDecision {
  if (input.forced) return { fineTune: true, rule: 'forced', reason: 'fine-tune forced by the caller' };
  const c = input.champion;
  if (c && c.rmse > t.maxChampionRmse)
    return {
      fineTune: true,
      rule: 'champion_rmse_above_max',
      reason: `champion RMSE ${fmt(c.rmse)} > ${t.maxChampionRmse}`,
    };
  if (input.driftDetected && c && c.r2 < t.degradedR2Below)
    return {
      fineTune: true,
      rule: 'drift_and_degraded_r2',
      reason: `drift detected and champion R² ${fmt(c.r2)} < ${t.degradedR2Below}`,
    };
  const why = [
    c ? `champion RMSE ${fmt(c.rmse)} ≤ ${t.maxChampionRmse}` : 'champion not validated',
    input.driftDetected ? `drift detected but R² ${c ? fmt(c.r2) : 'n/a'} ≥ ${t.degradedR2Below}` : 'no dataset drift',
  ];
  return { fineTune: false, rule: null, reason: why.join('; ') };
}

export interface PromotionInput {
  champion: TestSetMetrics;
  challenger: TestSetMetrics;
}

export interface PromotionDecision {
  decision: Extract<Decision, 'deploy' | 'reject_regression' | 'skip_no_improvement'>;
  reason: string;
}

export function decidePromotion(input: PromotionInput, p: RunConfig['promotion']): PromotionDecision {
  const { champion, challenger } = input;
  if (!(challenger.baseline.r2 >= p.minBaselineR2))
    return {
      decision: 'reject_regression',
      reason: `challenger R² on test_baseline ${fmt(challenger.baseline.r2)} < floor ${p.minBaselineR2}`,
    };
  const gain = 1 - challenger.current.rmse / champion.current.rmse;
  if (gain > p.minRelativeImprovement)
    return {
      decision: 'deploy',
      reason: `challenger RMSE on test_current ${fmt(challenger.current.rmse)} vs champion ${fmt(champion.current.rmse)} (${pct(gain)} better; needed > ${pct(p.minRelativeImprovement)})`,
    };
  return {
    decision: 'skip_no_improvement',
    reason: `challenger RMSE on test_current ${fmt(challenger.current.rmse)} vs champion ${fmt(champion.current.rmse)} (${pct(gain)}; needed > ${pct(p.minRelativeImprovement)})`,
  };
}

function fmt(x: number): string {
  return Number.isFinite(x) ? x.toFixed(3) : String(x);
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

export interface AssessedTriggerInput {
  forced: boolean;
  /**
   * Since the `fine-tune-every-run-v1` patch, with `trigger.fineTuneEveryRun`: every run trains a challenger
   * unless data quality blocks it; the assessment is recorded but no longer gates.
   */
  everyRun?: boolean;
  assessment: DriftAssessmentSummary | undefined;
  champion: Pick<ModelMetrics, 'rmse' | 'r2'> | null;
}

/**
 * The trigger since the `drift-assessment-trigger-v1` patch: the assessment decides (drift with
 * effect size and significance, performance and concept drift), the
 * champion's absolute RMSE ceiling stays as a service-level guard, critical
 * data quality blocks a fine-tune, and forcing overrides all of it (and is
 * recorded as such).
 */
export function decideTriggerFromAssessment(input: AssessedTriggerInput, t: RunConfig['trigger']): TriggerDecision {
  const a = input.assessment;
  const summary = a
    ? `assessment ${a.triggered ? 'triggered' : 'not triggered'} (${a.severity}${a.reasons.length ? `: ${a.reasons.join('; ')}` : ''})`
    : 'no assessment';
  if (input.forced) return { fineTune: true, rule: 'forced', reason: `fine-tune forced by the caller; ${summary}` };
  if (a && a.blockedBy.length > 0)
    return { fineTune: false, rule: null, reason: `fine-tune blocked by ${a.blockedBy.join(', ')}; ${summary}` };
  if (input.everyRun)
    return {
      fineTune: true,
      rule: 'every_run',
      reason: `a challenger every run (trigger.fineTuneEveryRun); the promotion rule decides; ${summary}`,
    };
  if (a?.triggered) return { fineTune: true, rule: `assessment_${a.severity.toLowerCase()}`, reason: summary };
  const c = input.champion;
  if (c && c.rmse > t.maxChampionRmse)
    return {
      fineTune: true,
      rule: 'champion_rmse_above_max',
      reason: `champion RMSE ${fmt(c.rmse)} > ${t.maxChampionRmse}; ${summary}`,
    };
  return { fineTune: false, rule: null, reason: summary };
}

export interface PromotionWithIntervalsInput extends PromotionInput {
  comparison: NonNullable<DoubleEvaluation['comparison']>;
}

export interface PromotionDecisionV2 {
  decision: Extract<Decision, 'deploy' | 'reject_regression' | 'skip_no_improvement' | 'skip_not_significant'>;
  reason: string;
}

/**
 * Promotion since the `promotion-intervals-v1` patch: judged on the same rows, with the
 * paired bootstrap interval of RMSE(challenger) ÷ RMSE(champion). Deploy only
 * when the challenger clears the baseline floor, does not regress on
 * test_baseline (upper bound ≤ maxBaselineRatio), gains at least the minimum
 * on test_current, and that gain is significant (upper bound < 1). Ties keep
 * the champion.
 */
export function decidePromotionWithIntervals(
  input: PromotionWithIntervalsInput,
  p: RunConfig['promotion'],
): PromotionDecisionV2 {
  const { challenger, comparison: c } = input;
  const floor = belowFloor(challenger, p.minBaselineR2);
  if (floor) return floor;
  if (c.baseline.hi > p.maxBaselineRatio)
    return {
      decision: 'reject_regression',
      reason: `may regress on test_baseline: RMSE ratio ${interval(c.baseline)}, upper bound > ${p.maxBaselineRatio}`,
    };
  return judgeCurrentGain(c, p.minRelativeImprovement, `test_baseline ratio ${interval(c.baseline)}`);
}

/**
 * The backtest's "always promote" policy: the challenger replaces the champion
 * whenever its RMSE on test_current is lower, with no interval, floor or
 * baseline check. A yardstick, not a production rule.
 */
export function decidePromotionPointEstimate(input: PromotionInput): PromotionDecisionV2 {
  const { champion, challenger } = input;
  const gain = 1 - challenger.current.rmse / champion.current.rmse;
  const what = `test_current RMSE ${fmt(challenger.current.rmse)} vs champion ${fmt(champion.current.rmse)} (${pct(gain)})`;
  return challenger.current.rmse < champion.current.rmse
    ? { decision: 'deploy', reason: `point estimate: ${what}` }
    : { decision: 'skip_no_improvement', reason: `point estimate: ${what}` };
}

/**
 * Promotion since the `promotion-rule-choice-v1` patch, rule `next-week-v1`:
 * deploy the model likely to have the lower error on the coming weeks.
 * test_current (the most recent days) is the data most like those weeks, so it
 * decides; test_baseline guards only against catastrophic forgetting: the
 * absolute floor, and a tolerance on how much worse the challenger may be
 * there. A small regression on an older period no longer keeps a champion
 * whose error on current data has collapsed. Ties and insignificant gains
 * keep the champion.
 */
export function decidePromotionNextWeek(
  input: PromotionWithIntervalsInput,
  p: RunConfig['promotion'],
): PromotionDecisionV2 {
  const { challenger, champion, comparison: c } = input;
  // A champion adapted to a new regime is itself below the floor on the old period: then the floor is the
  // champion's own R² there, or no challenger could ever replace it (seen in the lockdown-reopening backtest).
  const floor = belowFloor(challenger, Math.min(p.minBaselineR2, champion.baseline.r2));
  if (floor) return floor;
  if (!(c.baseline.rmseRatio <= p.maxBaselineRegression))
    return {
      decision: 'reject_regression',
      reason: `forgets test_baseline: RMSE ratio ${interval(c.baseline)} > tolerance ${p.maxBaselineRegression}`,
    };
  return judgeCurrentGain(
    c,
    p.minCurrentGain,
    `test_baseline ratio ${interval(c.baseline)} within ${p.maxBaselineRegression}`,
  );
}

/**
 * Rule `next-week-v2`: next-week-v1's guards (floor, forgetting tolerance),
 * and a challenger that beats the champion on test_current deploys when the
 * evidence says it is better: significantly on test_current, or, when
 * test_current's few days cannot tell, significantly on test_baseline (the
 * same gain minimum on either). Better on the present's point estimate and
 * significantly better on the past is better in general; a challenger no
 * better on either keeps the champion, so a stable season does not churn.
 * Found by the backtests: test_current (a few days of a few counters) often
 * cannot separate a better recipe from the champion, test_baseline (weeks)
 * can.
 */
export function decidePromotionNextWeekV2(
  input: PromotionWithIntervalsInput,
  p: RunConfig['promotion'],
): PromotionDecisionV2 {
  // next-week-v1's verdict stands unless it kept the champion for want of evidence on test_current.
  const v1 = decidePromotionNextWeek(input, p);
  if (v1.decision === 'deploy' || v1.decision === 'reject_regression') return v1;
  const c = input.comparison;
  const currentGain = 1 - c.current.rmseRatio;
  const baselineGain = 1 - c.baseline.rmseRatio;
  if (currentGain > 0 && baselineGain >= p.minCurrentGain && baselineGain > 0 && c.baseline.hi < 1)
    return {
      decision: 'deploy',
      reason:
        `better on test_current (RMSE ratio ${interval(c.current)}) and significantly better on test_baseline ` +
        `(${interval(c.baseline)}, ${pct(baselineGain)} better, ${Math.round(c.baseline.confidence * 100)}% interval below 1)`,
    };
  return v1;
}

/**
 * The test_current half of both interval rules: the gain must reach the
 * minimum and its interval must exclude no gain. Ties keep the champion.
 */
function judgeCurrentGain(
  c: PromotionWithIntervalsInput['comparison'],
  minGain: number,
  baselineNote: string,
): PromotionDecisionV2 {
  const pct95 = `${Math.round(c.current.confidence * 100)}%`;
  const ratio = `test_current RMSE ratio ${interval(c.current)}`;
  const gain = 1 - c.current.rmseRatio;
  if (!(gain >= minGain) || gain <= 0)
    return { decision: 'skip_no_improvement', reason: `${ratio}: ${pct(gain)} gain, needs ≥ ${pct(minGain)}` };
  if (!(c.current.hi < 1))
    return {
      decision: 'skip_not_significant',
      reason: `${ratio}: ${pct(gain)} gain but the ${pct95} interval reaches 1`,
    };
  return {
    decision: 'deploy',
    reason: `${ratio} (${pct(gain)} better, ${pct95} interval below 1); ${baselineNote}`,
  };
}

/** The catastrophic-forgetting floor every rule keeps: the challenger's R² on test_baseline. */
function belowFloor(challenger: TestSetMetrics, minBaselineR2: number): PromotionDecisionV2 | null {
  return challenger.baseline.r2 >= minBaselineR2
    ? null
    : {
        decision: 'reject_regression',
        reason: `challenger R² on test_baseline ${fmt(challenger.baseline.r2)} < floor ${minBaselineR2}`,
      };
}

function interval(x: { rmseRatio: number; lo: number; hi: number }): string {
  return `${fmt(x.rmseRatio)} [${fmt(x.lo)}, ${fmt(x.hi)}]`;
}
