import * as format from './tree';
import type { Tree } from './tree';

// Module-level copies: under tsx (tests, CLI) an imported binding is a getter call on every use, which
// cost more than the traversal itself in these loops.
const LEAF = format.LEAF;
const CATEGORICAL = format.CATEGORICAL;

/**
 * Prediction by partition: instead of walking each row down the tree (a
 * chain of dependent loads, one likely cache miss per level in a 2 MB
 * tree), the rows are partitioned node by node, as in training: each node
 * is read once and its rows stream through one column of bins. Measured on
 * 20 forest trees over 131K rows: 650 ms walking row by row, 460 ms walking
 * 8 rows in lockstep, 207 ms partitioning (branch-free, column-major bins).
 *
 * Ensembles are walked by the same algorithm in WebAssembly
 * (predict-kernel.wat, 2.7× faster); this TypeScript walk is its reference
 * and serves boosting, which walks one new tree a round.
 */
export class PredictScratch {
  readonly rows: Uint32Array;
  private stackArray = new Int32Array(3 * 256);
  constructor(readonly nRows: number) {
    this.rows = new Uint32Array(nRows);
  }

  get stack(): Int32Array {
    return this.stackArray;
  }

  /** Doubles the stack, keeping its contents (only trees deeper than ~250 levels need it). */
  growStack(): Int32Array {
    const s = new Int32Array(this.stackArray.length * 2);
    s.set(this.stackArray);
    return (this.stackArray = s);
  }
}

/** out[i] += scale × the tree's value for row i of the column-major bins `cols`. */
export function addTreePredictions(
  t: Tree,
  cols: readonly Uint8Array[],
  out: Float64Array,
  scale: number,
  scratch = new PredictScratch(out.length),
): void {
  const n = out.length;
  const { nodes, values, categories } = t;
  const idx = scratch.rows;
  for (let i = 0; i < n; i++) idx[i] = i;
  // Depth-first: the stack holds at most one pending sibling per level.
  let stack = scratch.stack;
  let sp = 0;
  stack[sp++] = 0;
  stack[sp++] = 0;
  stack[sp++] = n;
  while (sp > 0) {
    const end = stack[--sp];
    const start = stack[--sp];
    const node = stack[--sp];
    const w = nodes[2 * node];
    if ((w & LEAF) === LEAF) {
      const v = scale * values[nodes[2 * node + 1]];
      for (let k = start; k < end; k++) out[idx[k]] += v;
      continue;
    }
    const col = cols[w & LEAF];
    const p = w >>> 8;
    // Branch-free Lomuto partition: left rows to the front.
    let l = start;
    if ((w & CATEGORICAL) !== 0) {
      const set = p * t.setWords;
      for (let k = start; k < end; k++) {
        const i = idx[k];
        const b = col[i];
        const goLeft = (categories[set + (b >> 5)] >>> (b & 31)) & 1;
        idx[k] = idx[l];
        idx[l] = i;
        l += goLeft;
      }
    } else {
      for (let k = start; k < end; k++) {
        const i = idx[k];
        const goLeft = col[i] <= p ? 1 : 0;
        idx[k] = idx[l];
        idx[l] = i;
        l += goLeft;
      }
    }
    if (sp + 6 > stack.length) stack = scratch.growStack();
    const left = nodes[2 * node + 1];
    if (l < end) {
      stack[sp++] = left + 1;
      stack[sp++] = l;
      stack[sp++] = end;
    }
    if (start < l) {
      stack[sp++] = left;
      stack[sp++] = start;
      stack[sp++] = l;
    }
  }
}

/** out[i] += scale × Σ trees' values for row i. */
export function addTreesPredictions(
  trees: readonly Tree[],
  cols: readonly Uint8Array[],
  out: Float64Array,
  scale: number,
  scratch = new PredictScratch(out.length),
): void {
  for (const t of trees) addTreePredictions(t, cols, out, scale, scratch);
}
