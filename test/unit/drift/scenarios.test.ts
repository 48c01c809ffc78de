import { describe, expect, it } from 'vitest';
import { assessDataDrift, runDriftCheck } from '../../../src/drift';
import { naiveChampionPerformance, simulatedWeek } from './scenario-helpers';

// The simulator's scenarios (src/data/scenarios.ts) against a year of stable
// reference; each scenario's change starts with the current week.

describe('stable weeks', () => {
  it('give no dataset drift in at least 19 of 20 seeds', () => {
    const flagged: number[] = [];
    for (let seed = 1; seed <= 20; seed++) {
      const { reference, current } = simulatedWeek('stable', seed);
      const r = assessDataDrift(reference, current);
      expect(r.calendar.policy).toBe('seasonal-match');
      if (r.datasetDrift) flagged.push(seed);
    }
    expect(flagged.length, `dataset drift flagged for seeds ${flagged.join(', ')}`).toBeLessThanOrEqual(1);
  });
});

describe.each([1, 2])('first week of a change (seed %i)', (seed) => {
  const check = (scenario: string) => {
    const { reference, current } = simulatedWeek(scenario, seed);
    return runDriftCheck({
      reference,
      current,
      performance: naiveChampionPerformance(reference, current),
      gates: { newRows: 20_000, daysCovered: 30 },
    });
  };

  it('lockdown: retrain, the count and the hourly profile drifted, performance fell', () => {
    const c = check('lockdown');
    expect(c.assessment.triggered).toBe(true);
    expect(c.drift.datasetDrift).toBe(true);
    expect(c.drift.driftedSignals).toEqual(expect.arrayContaining(['count', 'hour']));
    const codes = c.assessment.signals.map((s) => s.code);
    expect(codes).toEqual(
      expect.arrayContaining(['target-drift', 'dataset-drift', 'performance-drop', 'concept-drift']),
    );
    expect(c.assessment.severity).toBe('CRITICAL');
    expect(c.quality.critical).toBe(false);
  });

  it('strike: retrain on the count and the weekly profile, with a performance drop', () => {
    const c = check('strike');
    expect(c.assessment.triggered).toBe(true);
    expect(c.drift.driftedSignals).toContain('count');
    const codes = c.assessment.signals.map((s) => s.code);
    expect(codes).toEqual(expect.arrayContaining(['target-drift', 'performance-drop']));
    expect(['HIGH', 'CRITICAL']).toContain(c.assessment.severity);
    expect(c.quality.critical).toBe(false);
  });

  it('new counters: retrain because counters training never saw carry a material share', () => {
    const c = check('new-counters');
    expect(c.assessment.triggered).toBe(true);
    expect(c.drift.driftedSignals).toContain('counter');
    expect(c.drift.counterMix.newCounters).toBeGreaterThanOrEqual(2);
    expect(c.assessment.signals.map((s) => s.code)).toContain('new-counters');
    expect(c.assessment.reasons.join('\n')).toMatch(/never seen in training/);
  });

  it('broken sensors: critical data quality, retraining blocked, not a reason to retrain', () => {
    const c = check('broken-sensors');
    expect(c.quality.status).toBe('CRITICAL');
    expect(c.quality.findings.find((f) => f.code === 'broken-sensors')?.severity).toBe('critical');
    expect(c.assessment.triggered).toBe(false);
    expect(c.assessment.blockedBy).toContain('data-quality');
    expect(c.assessment.severity).toBe('CRITICAL');
    expect(c.assessment.reasons[0]).toMatch(/^data quality CRITICAL, retraining blocked/);
    expect(c.assessment.gates.find((g) => g.name === 'data-quality')?.passed).toBe(false);
  });
});
