import { describe, expect, it } from 'vitest';
import type { DriftAssessmentSummary, TriggerDecision } from '../../../src/core/domain';
import { blockForcedOnCriticalData } from '../../../src/workflows/data-quality-block';

const QUALITY =
  'data quality CRITICAL, retraining blocked: 1 row(s) above maxHourlyCount 10000 (a sensor or export fault, not traffic): counter c-1 at 2026-10-04T22:00:00.000Z: 1000000000000';

function assessment(critical: boolean): DriftAssessmentSummary {
  return {
    triggered: false,
    severity: critical ? 'CRITICAL' : 'LOW',
    confidence: 0.9,
    reasons: critical ? [QUALITY, '[very-strong] performance drop: RMSE 41.8 → 1.7e10'] : ['no retraining signal'],
    blockedBy: critical ? ['data-quality'] : [],
    qualityStatus: critical ? 'CRITICAL' : 'OK',
    qualityCritical: critical,
    performance: null,
  };
}

const forcedTrigger: TriggerDecision = { fineTune: true, rule: 'forced', reason: 'fine-tune forced by the caller' };

describe('critical data quality blocks a forced fine-tune', () => {
  it('blocks it, and the reason names the data-quality finding', () => {
    const b = blockForcedOnCriticalData(forcedTrigger, true, assessment(true));
    expect(b).toEqual({
      fineTune: false,
      rule: null,
      reason: `forced fine-tune blocked by critical data quality: ${QUALITY}`,
    });
  });

  it('leaves everything else alone: not forced, quality not critical, no assessment, no fine-tune', () => {
    expect(blockForcedOnCriticalData(forcedTrigger, true, assessment(false))).toBeNull();
    expect(blockForcedOnCriticalData(forcedTrigger, true, undefined)).toBeNull();
    expect(blockForcedOnCriticalData(forcedTrigger, false, assessment(true))).toBeNull();
    expect(blockForcedOnCriticalData({ fineTune: false, rule: null, reason: 'x' }, true, assessment(true))).toBeNull();
  });
});
