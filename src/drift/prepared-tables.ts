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

/**
 * The reference's features depend on the reference alone: built once per
 * reference table (the baseline sets are read once per process, see
 * data/baseline-store.ts, so a worker's later runs reuse them), and the
 * current window's once per (reference, current) pair.
 */
const cache = new WeakMap<
  CountTable,
  { spec: FeatureSpec; ref: BuiltFeatures; byCurrent: WeakMap<CountTable, PreparedTables> }
>();

export function prepareTables(reference: CountTable, current: CountTable): PreparedTables {
  let r = cache.get(reference);
  if (!r) {
    const spec = fitFeatureSpec(reference);
    r = { spec, ref: buildFeatures(reference, spec), byCurrent: new WeakMap() };
    cache.set(reference, r);
  }
  let p = r.byCurrent.get(current);
  if (!p) {
    p = { reference, current, spec: r.spec, ref: r.ref, cur: buildFeatures(current, r.spec) };
    r.byCurrent.set(current, p);
  }
  return p;
}

export function featureColumn(b: BuiltFeatures, name: string): Float32Array {
  const k = b.X.names.indexOf(name);
  if (k < 0) throw new Error(`feature pipeline has no "${name}" column (has ${b.X.names.join(', ')})`);
  return b.X.columns[k];
}
