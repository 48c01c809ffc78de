import { DEFAULT_DRIFT_CONFIG, type DriftConfig } from './config';
import type { DataDriftResult } from './data-drift';
import type { DataQualityResult } from './data-quality';
import type { PerformanceResult } from './performance';

/**
 * One verdict from all checks: retrain or not, how bad, how sure, why.
 *
 * Severity follows the retraining orchestrator this project replaces: one
 * mild signal LOW, several MEDIUM, a strong one HIGH, a very strong one or
 * critical data quality CRITICAL.
 *
 * Triggering signals: target (count) drift, dataset drift, counter-mix drift
 * or new counters, performance drop, concept drift. A shifted hour or
 * weekday profile alone is reported but does not trigger: it moves with
 * the weather of one week.
 */
export type Severity = 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL';
export type Strength = 'mild' | 'strong' | 'very-strong';

export interface AssessmentSignal {
  code:
    | 'dataset-drift'
    | 'target-drift'
    | 'counter-mix'
    | 'new-counters'
    | 'profile-drift'
    | 'performance-drop'
    | 'concept-drift';
  strength: Strength;
  triggering: boolean;
  message: string;
}

export interface Gate {
  name: 'drift-rows' | 'performance-rows' | 'training-rows' | 'training-days' | 'data-quality';
  /** null: not evaluated (input not given). */
  passed: boolean | null;
  value: number | string | null;
  threshold: number | string;
  /** What a failure stops: the signals of that check, or the fine-tune itself. */
  stops: 'signals' | 'retraining';
  message: string;
}

export interface Assessment {
  triggered: boolean;
  severity: Severity;
  /** Heuristic, not a probability: see CONFIDENCE_METHOD. */
  confidence: number;
  confidenceMethod: string;
  reasons: string[];
  signals: AssessmentSignal[];
  gates: Gate[];
  blockedBy: string[];
}

export interface CombineInput {
  drift?: DataDriftResult | null;
  quality?: DataQualityResult | null;
  performance?: PerformanceResult | null;
  /** What a fine-tune would train on, when known. */
  gates?: { newRows?: number; daysCovered?: number };
}

export const CONFIDENCE_METHOD =
  'heuristic (not a probability): triggered → 1 - Π(1 - c) over triggering signals with c = 0.5 mild, 0.75 strong, 0.9 very strong; ' +
  'not triggered → 0.9 with drift and performance both assessed, 0.7 with one, 0.4 with neither; ' +
  'blocked by critical data quality → 0.9; times 0.8 when drift or performance could not be assessed';

const STRENGTH_WEIGHT: Record<Strength, number> = { mild: 0.5, strong: 0.75, 'very-strong': 0.9 };
const STRENGTH_RANK: Record<Strength, number> = { mild: 0, strong: 1, 'very-strong': 2 };

export function combineAssessment(input: CombineInput, config: DriftConfig = DEFAULT_DRIFT_CONFIG): Assessment {
  const sev = config.severity;
  const { drift, quality, performance } = input;
  const signals: AssessmentSignal[] = [];
  const byEffect = (e: number): Strength =>
    e >= sev.veryStrongEffect ? 'very-strong' : e >= sev.strongEffect ? 'strong' : 'mild';

  const driftUsable = !!drift && drift.assessed;
  if (drift && driftUsable) {
    const drifted = drift.signals.filter((s) => s.drifted);
    const maxEffect = (names: string[]) =>
      Math.max(
        0,
        ...drifted
          .filter((s) => names.includes(s.name))
          .flatMap((s) => s.effects.filter((e) => e.name !== 'new_counter_share').map((e) => Math.min(e.value, 10))),
      );
    if (drift.datasetDrift)
      signals.push({
        code: 'dataset-drift',
        strength: byEffect(maxEffect(drift.driftedSignals)) === 'mild' ? 'mild' : 'strong',
        triggering: true,
        message: `dataset drift: ${drift.driftedSignals.length} of ${drift.signals.length} signals drifted (share ${drift.share.toFixed(2)} ≥ ${drift.thresholds.datasetDriftShare}): ${drift.driftedSignals.join(', ')}`,
      });
    for (const s of drifted) {
      if (s.name === 'count')
        signals.push({
          code: 'target-drift',
          strength: byEffect(maxEffect(['count'])),
          triggering: true,
          message: s.summary,
        });
      else if (s.name === 'counter') {
        const share = s.statistics.new_counter_share ?? 0;
        if (share >= config.counterMix.newCounterShare)
          signals.push({
            code: 'new-counters',
            strength: share >= sev.strongNewCounterShare ? 'strong' : 'mild',
            triggering: true,
            message: `${drift.counterMix.newCounters} counter(s) never seen in training carry ${(share * 100).toFixed(1)}% of current rows (≥ ${(config.counterMix.newCounterShare * 100).toFixed(0)}%)`,
          });
        if (s.significant && s.effects.some((e) => e.name === 'jsd' && e.reached))
          signals.push({
            code: 'counter-mix',
            strength: byEffect(s.statistics.jsd),
            triggering: true,
            message: s.summary,
          });
      } else signals.push({ code: 'profile-drift', strength: 'mild', triggering: false, message: s.summary });
    }
  }

  const perfUsable = !!performance && performance.assessed;
  if (performance && perfUsable) {
    const rise = performance.rmseChange;
    if (performance.performanceDrop)
      signals.push({
        code: 'performance-drop',
        strength: rise >= sev.veryStrongRmseRise ? 'very-strong' : rise >= sev.strongRmseRise ? 'strong' : 'mild',
        triggering: true,
        message: `performance drop: ${performance.dropReasons.join('; ')}`,
      });
    if (performance.conceptDrift) {
      const ci = performance.ratioInterval;
      signals.push({
        code: 'concept-drift',
        strength: ci.lo - 1 >= sev.strongRmseRise ? 'very-strong' : 'strong',
        triggering: true,
        message: `concept drift: RMSE ratio ${ci.ratio.toFixed(3)}, ${(ci.confidence * 100).toFixed(0)}% interval [${ci.lo.toFixed(3)}, ${ci.hi.toFixed(3)}] above 1 and rise > ${(config.performance.conceptRmseRise * 100).toFixed(0)}%`,
      });
    }
  }

  const gates = evaluateGates(input, config);
  const triggering = signals.filter((s) => s.triggering);
  const blocking = gates.filter((g) => g.stops === 'retraining' && g.passed === false);
  const triggered = triggering.length > 0 && blocking.length === 0;
  const qualityCritical = !!quality?.critical;

  let severity: Severity = 'LOW';
  const top = Math.max(-1, ...triggering.map((s) => STRENGTH_RANK[s.strength]));
  if (qualityCritical || top === 2) severity = 'CRITICAL';
  else if (top === 1) severity = 'HIGH';
  else if (triggering.length >= 2) severity = 'MEDIUM';

  const completeness = driftUsable && perfUsable ? 1 : 0.8;
  let confidence: number;
  if (qualityCritical) confidence = 0.9;
  else if (triggering.length > 0)
    confidence = 1 - triggering.reduce((p, s) => p * (1 - STRENGTH_WEIGHT[s.strength]), 1);
  else confidence = driftUsable && perfUsable ? 0.9 : driftUsable || perfUsable ? 0.7 : 0.4;
  confidence = Math.round(confidence * completeness * 1000) / 1000;

  const reasons: string[] = [];
  if (qualityCritical)
    reasons.push(
      `data quality CRITICAL, retraining blocked: ${quality!.findings
        .filter((f) => f.severity === 'critical')
        .map((f) => f.message)
        .join('; ')}`,
    );
  const ordered = [...signals].sort(
    (a, b) => Number(b.triggering) - Number(a.triggering) || STRENGTH_RANK[b.strength] - STRENGTH_RANK[a.strength],
  );
  const partOfDataset = !!drift?.datasetDrift && driftUsable;
  for (const s of ordered)
    reasons.push(
      `${s.triggering ? '' : partOfDataset ? '(part of the dataset drift) ' : '(alone, not a trigger) '}[${s.strength}] ${s.message}`,
    );
  for (const g of gates)
    if (g.passed === false && !(g.name === 'data-quality' && qualityCritical))
      reasons.push(`gate ${g.name}: ${g.message}`);
  if (quality && quality.status === 'WARNING')
    reasons.push(
      `data quality warning: ${quality.findings
        .filter((f) => f.severity === 'warning')
        .map((f) => f.message)
        .join('; ')}`,
    );
  if (triggering.length === 0 && !qualityCritical)
    reasons.unshift('no retraining signal: drift and performance within thresholds');

  return {
    triggered,
    severity,
    confidence,
    confidenceMethod: CONFIDENCE_METHOD,
    reasons,
    signals,
    gates,
    blockedBy: triggering.length ? blocking.map((g) => g.name) : [],
  };
}

function evaluateGates(input: CombineInput, config: DriftConfig): Gate[] {
  const g = config.gates;
  const out: Gate[] = [];
  const rows = input.drift?.currentRows ?? null;
  out.push({
    name: 'drift-rows',
    passed: rows === null ? null : rows >= g.minDriftRows,
    value: rows,
    threshold: g.minDriftRows,
    stops: 'signals',
    message: rows === null ? 'drift not checked' : `${rows} current rows for the drift check (needs ${g.minDriftRows})`,
  });
  const prow = input.performance?.recent.rows ?? null;
  out.push({
    name: 'performance-rows',
    passed: prow === null ? null : prow >= g.minPerformanceRows,
    value: prow,
    threshold: g.minPerformanceRows,
    stops: 'signals',
    message:
      prow === null
        ? 'performance not checked'
        : `${prow} recent labelled rows for the RMSE check (needs ${g.minPerformanceRows})`,
  });
  const newRows = input.gates?.newRows;
  out.push({
    name: 'training-rows',
    passed: newRows === undefined ? null : newRows >= g.minTrainingRows,
    value: newRows ?? null,
    threshold: g.minTrainingRows,
    stops: 'retraining',
    message:
      newRows === undefined ? 'new rows not known yet' : `${newRows} new rows to train on (needs ${g.minTrainingRows})`,
  });
  const days = input.gates?.daysCovered;
  out.push({
    name: 'training-days',
    passed: days === undefined ? null : days >= g.minTrainingDays,
    value: days ?? null,
    threshold: g.minTrainingDays,
    stops: 'retraining',
    message:
      days === undefined ? 'days covered not known yet' : `new rows cover ${days} day(s) (needs ${g.minTrainingDays})`,
  });
  const q = input.quality;
  out.push({
    name: 'data-quality',
    passed: q ? !q.critical : null,
    value: q ? q.status : null,
    threshold: 'not CRITICAL',
    stops: 'retraining',
    message: q ? `data quality ${q.status}` : 'data quality not checked',
  });
  return out;
}
