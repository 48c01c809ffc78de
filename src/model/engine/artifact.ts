import { createHash } from 'node:crypto';
import type { BinMapper } from './binning';
import type { Ensemble, EnsembleParams } from './ensemble';
import { shareArray } from './engine-worker';
import { CATEGORICAL, LEAF, MAX_SET_WORDS, type Tree } from './tree';

/**
 * Model artifact: MAGIC (8 bytes) | header length (u32 LE) | header JSON |
 * tree arrays (typed arrays back to back, 8-byte aligned) | sha256 of all
 * preceding bytes (32 bytes). The header holds the format version, the
 * hyperparameters, the caller's metadata (feature-pipeline version and
 * state, training-data manifest) and each array's offset and length.
 * Loading is a few typed-array views: milliseconds.
 */
const MAGIC = 'BRTREES\0';
/**
 * v3: 8-byte nodes with adjacent children and leaf values apart (see tree.ts).
 * v2 (six arrays per tree) still loads, converted; v1 (256-byte category sets) is refused.
 */
export const FORMAT_VERSION = 3;

type ArrayCtor = {
  new (b: ArrayBufferLike, o: number, n: number): ArrayBufferView & ArrayLike<number>;
  BYTES_PER_ELEMENT: number;
};
type ArrayName = 'nodes' | 'values' | 'categories';
const ARRAYS: [ArrayName, ArrayCtor][] = [
  ['nodes', Int32Array],
  ['values', Float64Array],
  ['categories', Uint32Array],
];
type V2ArrayName = 'feature' | 'threshold' | 'categorySet' | 'left' | 'right' | 'value' | 'categories';
const V2_ARRAYS: [V2ArrayName, ArrayCtor][] = [
  ['feature', Int16Array],
  ['threshold', Uint8Array],
  ['categorySet', Int32Array],
  ['left', Int32Array],
  ['right', Int32Array],
  ['value', Float64Array],
  ['categories', Uint32Array],
];

interface Header {
  format: 'bike-retrain-trees';
  version: number;
  params: EnsembleParams;
  base: number;
  treeScale: number;
  mapper: { edges: number[][]; categorical: boolean[]; nBins: number[] };
  metadata: Record<string, unknown>;
  /** Per tree: each array's [offset, length] in the payload (v3 also setWords). */
  trees: Record<string, [offset: number, length: number] | number>[];
}

export class ArtifactFormatError extends Error {
  override readonly name = 'ArtifactFormatError';
}

export function serializeEnsemble(e: Ensemble, metadata: Record<string, unknown>): Uint8Array {
  // Offsets first, then one output buffer and one copy of each array (a 100-tree forest is ~350 MB).
  let offset = 0;
  const place = (a: ArrayBufferView): [number, number] => {
    const at = offset;
    offset += Math.ceil(a.byteLength / 8) * 8;
    return [at, (a as unknown as { length: number }).length];
  };
  const trees = e.trees.map((t) => ({
    nodes: place(t.nodes),
    values: place(t.values),
    categories: place(t.categories),
    setWords: t.setWords,
  }));
  // How many threads trained it is not part of the model: same data and seed, same bytes.
  const { threads: _threads, ...params } = e.params;
  const header: Header = {
    format: 'bike-retrain-trees',
    version: FORMAT_VERSION,
    params,
    base: e.base,
    treeScale: e.treeScale,
    mapper: {
      edges: e.mapper.edges.map((x) => Array.from(x)),
      categorical: e.mapper.categorical,
      nBins: e.mapper.nBins,
    },
    metadata,
    trees,
  };
  const headerBytes = new TextEncoder().encode(JSON.stringify(header));
  const headerPad = Math.ceil((12 + headerBytes.length) / 8) * 8 - 12;
  const payloadAt = 12 + headerPad;
  const total = payloadAt + offset + 32;
  const out = new Uint8Array(total);
  out.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(out.buffer).setUint32(8, headerPad, true);
  out.set(headerBytes, 12);
  out.fill(0x20, 12 + headerBytes.length, payloadAt); // JSON-safe padding (spaces)
  e.trees.forEach((t, i) => {
    for (const [name] of ARRAYS) {
      const a = t[name];
      out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), payloadAt + trees[i][name][0]);
    }
  });
  out.set(
    createHash('sha256')
      .update(out.subarray(0, total - 32))
      .digest(),
    total - 32,
  );
  return out;
}

export function deserializeEnsemble(bytes: Uint8Array): { ensemble: Ensemble; metadata: Record<string, unknown> } {
  if (bytes.length < 44 || new TextDecoder().decode(bytes.subarray(0, 8)) !== MAGIC)
    throw new ArtifactFormatError('not a bike-retrain model artifact (bad magic)');
  const body = bytes.subarray(0, bytes.length - 32);
  const digest = createHash('sha256').update(body).digest();
  if (!digest.equals(Buffer.from(bytes.subarray(bytes.length - 32))))
    throw new ArtifactFormatError('checksum mismatch: the artifact is truncated or corrupt');
  const headerLen = new DataView(bytes.buffer, bytes.byteOffset).getUint32(8, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + headerLen))) as Header;
  if (header.format !== 'bike-retrain-trees' || (header.version !== FORMAT_VERSION && header.version !== 2))
    throw new ArtifactFormatError(
      `unsupported artifact format ${header.format} v${header.version} (this build reads v${FORMAT_VERSION}; retrain with \`bike-retrain train-champion\`)`,
    );
  // Copy the payload once into an aligned buffer so typed arrays can view it; shared, so
  // prediction workers read the trees without copies of their own.
  const payload = shareArray(bytes.subarray(12 + headerLen, bytes.length - 32));
  const read = <N extends string>(entry: Record<string, [number, number] | number>, arrays: [N, ArrayCtor][]) => {
    const t = {} as Record<N, ArrayLike<number>>;
    for (const [name, Ctor] of arrays) {
      const [off, len] = entry[name] as [number, number];
      t[name] = new Ctor(payload.buffer, payload.byteOffset + off, len);
    }
    return t;
  };
  const trees = header.trees.map((entry) =>
    header.version === 2
      ? fromV2(read(entry, V2_ARRAYS) as unknown as V2Tree)
      : ({ ...read(entry, ARRAYS), setWords: entry.setWords } as unknown as Tree),
  );
  const mapper: BinMapper = {
    edges: header.mapper.edges.map((e) => Float64Array.from(e)),
    categorical: header.mapper.categorical,
    nBins: header.mapper.nBins,
  };
  return {
    ensemble: { params: header.params, mapper, trees, base: header.base, treeScale: header.treeScale },
    metadata: header.metadata,
  };
}

interface V2Tree {
  feature: Int16Array;
  threshold: Uint8Array;
  categorySet: Int32Array;
  left: Int32Array;
  right: Int32Array;
  value: Float64Array;
  categories: Uint32Array;
}

/**
 * A v2 tree in the v3 layout. v2 builders always added a split's children
 * together, left then right, so right = left + 1 already holds; its missing
 * values (bin 255) went right, as bin nBins does now.
 */
function fromV2(t: V2Tree): Tree {
  const n = t.feature.length;
  const nodes = new Int32Array(2 * n);
  let leaves = 0;
  for (let i = 0; i < n; i++) if (t.feature[i] < 0) leaves++;
  const values = new Float64Array(leaves);
  for (let i = 0, l = 0; i < n; i++) {
    if (t.feature[i] < 0) {
      nodes[2 * i] = LEAF;
      values[l] = t.value[i];
      nodes[2 * i + 1] = l++;
      continue;
    }
    if (t.right[i] !== t.left[i] + 1)
      throw new ArtifactFormatError(
        'v2 artifact with non-adjacent children: retrain with `bike-retrain train-champion`',
      );
    nodes[2 * i] =
      t.categorySet[i] >= 0
        ? t.feature[i] | CATEGORICAL | (t.categorySet[i] << 8)
        : t.feature[i] | (t.threshold[i] << 8);
    nodes[2 * i + 1] = t.left[i];
  }
  return { nodes, values, categories: Uint32Array.from(t.categories), setWords: MAX_SET_WORDS };
}
