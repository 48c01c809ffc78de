import type { CountTable } from '../core/counts';
import { buildFeatures, fitFeatureSpec, type BuiltFeatures, type FeatureSpec } from '../features/pipeline';

/**
 * Both tables run through the one feature pipeline (the same features the
 * model sees), with the counter vocabulary learnt from the reference, as the
 * champion's was. Cached per (reference, current) pair so the drift and the
 * data-quality checks of one run build features once.
 */
export interface PreparedTables {
  reference: CountTable;
  current: CountTable;
  spec: FeatureSpec;
  ref: BuiltFeatures;
  cur: BuiltFeatures;
}

const cache = new WeakMap<CountTable, WeakMap<CountTable, PreparedTables>>();

export function prepareTables(reference: CountTable, current: CountTable): PreparedTables {
  let byCurrent = cache.get(reference);
  if (!byCurrent) {
    byCurrent = new WeakMap();
    cache.set(reference, byCurrent);
  }
  let p = byCurrent.get(current);
  if (!p) {
    const spec = fitFeatureSpec(reference);
    p = { reference, current, spec, ref: buildFeatures(reference, spec), cur: buildFeatures(current, spec) };
    byCurrent.set(current, p);
  }
  return p;
}

export function featureColumn(b: BuiltFeatures, name: string): Float32Array {
  const k = b.X.names.indexOf(name);
  if (k < 0) throw new Error(`feature pipeline has no "${name}" column (has ${b.X.names.join(', ')})`);
  return b.X.columns[k];
}
