import { PREDICT_KERNEL_WASM } from './predict-kernel-wasm';
import type { Tree } from './tree';

type PredictTree = (
  nodes: number,
  values: number,
  cats: number,
  setBytes: number,
  cols: number,
  n: number,
  idx: number,
  out: number,
  scale: number,
  stack: number,
) => void;

// The part of the WebAssembly API used here: the project's libs (ES2022, no DOM) do not declare it.
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number }) => { buffer: ArrayBuffer };
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

let compiled: object | null = null;

/** The kernel, compiled once per thread (645 bytes: well under a millisecond). */
function kernelModule(): object {
  return (compiled ??= new wasm.Module(Buffer.from(PREDICT_KERNEL_WASM, 'base64')));
}

const align = (x: number) => Math.ceil(x / 64) * 64;

/**
 * Walks trees over one batch of rows with the WebAssembly kernel
 * (predict-kernel.wat). The rows' bins are copied into the kernel's memory
 * once; each tree's arrays are copied in before its walk (~3 MB for a deep
 * forest tree: a fraction of the walk's time).
 */
export class WasmTreeWalker {
  private readonly memory: { buffer: ArrayBuffer };
  private readonly predictTree: PredictTree;
  private readonly at: {
    cols: number;
    idx: number;
    out: number;
    stack: number;
    nodes: number;
    values: number;
    cats: number;
  };

  constructor(
    cols: readonly Uint8Array[],
    private readonly nRows: number,
    trees: readonly Tree[],
  ) {
    const n = nRows;
    const maxBytes = (get: (t: Tree) => { byteLength: number }) =>
      trees.reduce((m, t) => Math.max(m, get(t).byteLength), 0);
    const idx = align(cols.length * n);
    const out = align(idx + 4 * n);
    const stack = align(out + 8 * n);
    // (node, start, end) triples, one pending sibling per level: a tree of N nodes has fewer than N / 2 + 2 levels.
    const maxNodes = trees.reduce((m, t) => Math.max(m, t.nodes.length / 2), 0);
    const nodes = align(stack + 12 * (maxNodes / 2 + 2));
    const values = align(nodes + maxBytes((t) => t.nodes));
    const cats = align(values + maxBytes((t) => t.values));
    const end = align(cats + maxBytes((t) => t.categories));
    this.at = { cols: 0, idx, out, stack, nodes, values, cats };
    this.memory = new wasm.Memory({ initial: Math.max(1, Math.ceil(end / 65536)) });
    const instance = new wasm.Instance(kernelModule(), { env: { memory: this.memory } });
    this.predictTree = instance.exports.predict_tree as PredictTree;
    const bytes = new Uint8Array(this.memory.buffer);
    cols.forEach((c, f) => bytes.set(c.subarray(0, n), f * n));
  }

  /** Σ scale × tree(row) over `trees`, summed tree after tree as predict.ts's walk does. */
  sum(trees: readonly Tree[], scale: number): Float64Array {
    const { buffer } = this.memory;
    const a = this.at;
    const out = new Float64Array(buffer, a.out, this.nRows);
    out.fill(0);
    for (const t of trees) {
      new Int32Array(buffer, a.nodes, t.nodes.length).set(t.nodes);
      new Float64Array(buffer, a.values, t.values.length).set(t.values);
      new Uint32Array(buffer, a.cats, t.categories.length).set(t.categories);
      this.predictTree(a.nodes, a.values, a.cats, 4 * t.setWords, a.cols, this.nRows, a.idx, a.out, scale, a.stack);
    }
    return out.slice();
  }
}
