import type { DriftAssessmentSummary, TriggerDecision } from '../core/domain';

/**
 * Critical data quality blocks a fine-tune even when the caller forced it
 * (since the `critical-data-blocks-forced-v1` patch): forcing says "retrain
 * whatever drift says", not "train on a broken sensor's readings". Pure
 * workflow code: returns the blocked trigger, or null when the run was not
 * forced into a fine-tune or its data quality is not critical.
 */
export function blockForcedOnCriticalData(
  trigger: TriggerDecision,
  forced: boolean,
  assessment: DriftAssessmentSummary | undefined,
): TriggerDecision | null {
  if (!forced || !trigger.fineTune || !assessment?.qualityCritical) return null;
  const why = assessment.reasons.find((r) => r.startsWith('data quality CRITICAL')) ?? 'data quality CRITICAL';
  return {
    fineTune: false,
    rule: null,
    reason: `forced fine-tune blocked by critical data quality: ${why}`,
  };
}
