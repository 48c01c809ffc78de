import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadModel } from '../../../../src/model';
import { FORMAT_VERSION } from '../../../../src/model/engine/artifact';
import { matrix } from './helpers';

const fixtures = join(__dirname, '../../../fixtures');

describe('model artifact', () => {
  it('is format v3', () => {
    expect(FORMAT_VERSION).toBe(3);
  });

  // model-v2-*.bin were saved by the v2 engine (commit df3b46b) with the predictions beside them: a champion
  // saved before the v3 node layout must keep loading and predicting as it did.
  // (v3 sums trees in groups of 16, so a 20-round booster may differ from v2 in the last bits.)
  it.each(['rf', 'gbt'])('loads a v2 %s artifact and predicts what v2 predicted', async (modelType) => {
    const expected = JSON.parse(readFileSync(join(fixtures, 'model-v2-predictions.json'), 'utf8'))[modelType] as {
      query: (number | null)[][];
      predictions: number[];
    };
    const { regressor, params } = loadModel(new Uint8Array(readFileSync(join(fixtures, `model-v2-${modelType}.bin`))));
    expect(params.modelType).toBe(modelType);
    const q = matrix(
      expected.query.map((c) => c.map((v) => v ?? NaN)),
      ['numeric', 'categorical', 'numeric'],
    );
    const got = await regressor.predict(q);
    expected.predictions.forEach((p, i) => expect(got[i]).toBeCloseTo(p, 10));
  });
});
