import { describe, expect, it } from 'vitest';
import { countTableFromRows, type CountRow } from '../../../src/core/counts';
import { HOUR_MS } from '../../../src/core/time';
import { trainModel } from '../../../src/model/champion-model';
import { fitOnce, forgetSharedFit } from '../../../src/model/shared-fit';

const T0 = Date.UTC(2024, 0, 1);

function rows(days: number): CountRow[] {
  const out: CountRow[] = [];
  for (let h = 0; h < days * 24; h++)
    for (const id of ['A', 'B'])
      out.push({
        counterId: id,
        counterName: id,
        siteId: id,
        timestampMs: T0 + h * HOUR_MS,
        count: (h % 24) * (id === 'A' ? 3 : 1) + (h % 7),
        lat: 48.85,
        lon: id === 'A' ? 2.35 : 2.3,
      });
  return out;
}

describe('fits shared by key within a process', () => {
  it('joins a fit in flight (progress reaching every caller), keeps the last, and refits after a failure', async () => {
    forgetSharedFit();
    let fits = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const fit = async (progress: (p: { done: number; total: number; unit: string }) => void) => {
      fits++;
      await gate;
      progress({ done: 1, total: 1, unit: 'trees' });
      return { value: fits };
    };
    const seen: string[] = [];
    const a = fitOnce('k1', () => seen.push('a'), fit);
    const b = fitOnce('k1', () => seen.push('b'), fit);
    release();
    const [ra, rb] = await Promise.all([a, b]);
    expect(fits).toBe(1);
    expect(rb).toBe(ra);
    expect(seen.sort()).toEqual(['a', 'b']);
    // Kept: the same key later does not fit again; another key does.
    expect(await fitOnce('k1', undefined, fit)).toBe(ra);
    expect(fits).toBe(1);
    await fitOnce('k2', undefined, fit);
    expect(fits).toBe(2);
    // A failed fit is not kept.
    await expect(fitOnce('k3', undefined, () => Promise.reject(new Error('bad input')))).rejects.toThrow('bad input');
    expect(await fitOnce('k3', undefined, async () => 'refit')).toBe('refit');
  });

  it('gives the artifact a fresh fit with the same inputs gives, each call with its own metadata', async () => {
    forgetSharedFit();
    const table = countTableFromRows(rows(21));
    const params = { modelType: 'rf' as const, nEstimators: 4, maxDepth: 8, minSamplesLeaf: 3, seed: 5 };
    const first = await trainModel(table, params, { fitKey: 'same-inputs', trainingData: { chain: 'a' } });
    let progressed = 0;
    const shared = await trainModel(table, params, {
      fitKey: 'same-inputs',
      trainingData: { chain: 'b' },
      onProgress: () => progressed++,
    });
    const fresh = await trainModel(table, params, { trainingData: { chain: 'b' } });
    expect(Buffer.from(shared.bytes).equals(Buffer.from(fresh.bytes))).toBe(true);
    expect(Buffer.from(first.bytes).equals(Buffer.from(fresh.bytes))).toBe(false); // its own metadata
    expect(shared.model.metadata.trainingData).toEqual({ chain: 'b' });
    expect(shared.model.regressor).toBe(first.model.regressor); // not fitted again
    expect(progressed).toBe(0);
  });
});
