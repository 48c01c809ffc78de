import { afterAll, describe, expect, it } from 'vitest';
import { driftReferenceKey, keepDriftReference, readDriftReference } from '../../../src/champion/drift-reference';
import { resolveDriftConfig, runDriftCheck, type ReferenceSummary } from '../../../src/drift';
import { openArtifactStore } from '../../../src/storage';
import { makeTmpHome } from '../../support/tmp-home';
import { simulatedWeek } from '../drift/scenario-helpers';

/** The check's outcome without its timestamps: what a cached summary must not change. */
function outcome(c: ReturnType<typeof runDriftCheck>) {
  return { quality: c.quality, drift: c.drift, assessment: c.assessment };
}

describe("the drift reference's summary (data-quality baseline), cached as an artifact", () => {
  const { home, cleanup } = makeTmpHome('bike-retrain-drift-reference-');
  afterAll(cleanup);
  const artifacts = openArtifactStore(home);
  const { reference, current } = simulatedWeek('broken-sensors', 5);
  const config = resolveDriftConfig({});
  const key = driftReferenceKey('train-hash', config.quality.minBaselineRows);
  const computed = runDriftCheck({ reference, current, config });

  it('misses, is kept, then is read back equal and gives the same check', async () => {
    expect(await readDriftReference(artifacts, key)).toBeNull(); // miss
    await keepDriftReference(artifacts, key, computed.referenceSummary);
    const hit = await readDriftReference(artifacts, key);
    expect(hit).toEqual(computed.referenceSummary);
    const withHit = runDriftCheck({ reference, current, config, referenceSummary: hit });
    expect(withHit.referenceSummary).toBe(hit); // used as given, not recomputed
    expect(outcome(withHit)).toEqual(outcome(computed));
    // Written once: keeping it again is a no-op.
    await keepDriftReference(artifacts, key, hit!);
  });

  it('changes key with train_baseline, the feature pipeline and minBaselineRows', () => {
    expect(driftReferenceKey('other-hash', config.quality.minBaselineRows)).not.toBe(key);
    expect(driftReferenceKey('train-hash', config.quality.minBaselineRows + 1)).not.toBe(key);
    expect(driftReferenceKey('train-hash', config.quality.minBaselineRows, 'paris-hourly-v9')).not.toBe(key);
  });

  it('reads a corrupt or truncated entry as a miss, and the check computes the summary again', async () => {
    const good = await artifacts.get(artifacts.uriFor(key));
    const flipped = good.slice();
    flipped[flipped.length - 5] ^= 0x01;
    for (const [name, bytes] of [
      ['flipped', flipped],
      ['truncated', good.subarray(0, good.length - 10)],
      ['not an entry', new TextEncoder().encode('{"format":1}')],
    ] as const) {
      const k = driftReferenceKey(`corrupt-${name}`, config.quality.minBaselineRows);
      await artifacts.putIfAbsent(k, bytes);
      const read = await readDriftReference(artifacts, k);
      expect(read).toBeNull();
      expect(outcome(runDriftCheck({ reference, current, config, referenceSummary: read }))).toEqual(outcome(computed));
      // Keeping the recomputed one cannot replace the corrupt entry (write-once) and does not fail the run.
      await expect(keepDriftReference(artifacts, k, computed.referenceSummary)).resolves.toBeUndefined();
    }
  });

  it('is recomputed when it does not fit the reference (another vocabulary or minBaselineRows)', () => {
    const s = computed.referenceSummary;
    const wrong: ReferenceSummary[] = [
      { ...s, counters: [...s.counters].reverse() },
      { ...s, minBaselineRows: s.minBaselineRows + 1 },
      { ...s, baseline: { ...s.baseline, median: s.baseline.median.subarray(1) } },
    ];
    for (const w of wrong) {
      const c = runDriftCheck({ reference, current, config, referenceSummary: w });
      expect(c.referenceSummary).not.toBe(w);
      expect(c.referenceSummary).toEqual(s);
      expect(outcome(c)).toEqual(outcome(computed));
    }
  });
});
