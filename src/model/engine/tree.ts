/**
 * One regression tree as three flat typed arrays, saved to the artifact as
 * is. Each node is two 32-bit words, so a step of the traversal reads one
 * 8-byte record, and a node's children are adjacent (right = left + 1):
 *
 *   word 0: bits 0–6 feature (LEAF = 127), bit 7 categorical,
 *           bits 8–31 the threshold bin (numeric: bin ≤ threshold goes left)
 *           or the category set's index (categorical: bins in the set go left)
 *   word 1: the left child's index; for a leaf, its index in `values`
 *
 * 8 bytes a node plus 8 a leaf, against 23 a node before: a 100-tree,
 * depth-20 forest (about 28M nodes) fits in about 350 MB.
 */
import { shareArray } from './engine-worker';

export interface Tree {
  nodes: Int32Array;
  values: Float64Array;
  /** Bitsets of the categories that go left: bin b of set s is bit (b & 31) of word s·setWords + (b >> 5). */
  categories: Uint32Array;
  /** 32-bit words a category set takes: enough for every bin of the model's categorical features, missing included. */
  setWords: number;
}

/** The most words a set needs (255 bins). */
export const MAX_SET_WORDS = 8;

/** Words a category set needs so that every bin up to the missing bin (nBins) has its bit. */
export function setWordsFor(nBins: readonly number[], categorical: readonly boolean[]): number {
  let words = 1;
  nBins.forEach((n, f) => {
    if (categorical[f]) words = Math.max(words, (n >> 5) + 1);
  });
  return Math.min(words, MAX_SET_WORDS);
}
export const LEAF = 0x7f;
export const CATEGORICAL = 0x80;
/** Features are 7-bit indices in a node. */
export const MAX_FEATURES = LEAF;

/**
 * FNV-1a over a set's words, then a final mix: the table takes the hash's low bits, and FNV's low bits
 * depend only on the words' low bits (a multiply carries upwards only), so sets differing in higher
 * categories all landed in one probe chain (storeSet was 8% of a forest tree's time).
 */
function setHash(words: Uint32Array, at: number, n: number): number {
  let h = 0x811c9dc5;
  for (let w = 0; w < n; w++) h = Math.imul(h ^ words[at + w], 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  return h ^ (h >>> 13);
}

export class TreeBuilder {
  private n = 0;
  private nSets = 0;
  private nodes = new Int32Array(128);
  /** Every node's value while growing (a split node's is dropped by finish()). */
  private nodeValue = new Float64Array(64);
  private categories: Uint32Array;
  /** Stored sets by hash (index + 1, 0 = empty): a forest tree's ~47K categorical splits use ~6K distinct sets. */
  private slots = new Int32Array(64);

  constructor(readonly setWords = MAX_SET_WORDS) {
    this.categories = new Uint32Array(setWords * 4);
  }

  /**
   * Empties the builder for the next tree, keeping its arrays: a forest worker's trees then reuse one
   * set of buffers (a depth-20 tree's grow to ~9 MB) instead of leaving them to the collector each tree.
   */
  reset(): void {
    this.n = 0;
    this.nSets = 0;
    this.slots.fill(0);
  }

  get size(): number {
    return this.n;
  }

  addLeaf(value: number): number {
    if (this.n === this.nodeValue.length) this.grow();
    const i = this.n++;
    this.nodes[2 * i] = LEAF;
    this.nodes[2 * i + 1] = -1;
    this.nodeValue[i] = value;
    return i;
  }

  /** Turns leaf `node` into a split whose children are the leaves `left` and `left + 1`. */
  makeSplit(node: number, feature: number, threshold: number, leftCategories: Uint32Array | null, left: number): void {
    if (left + 1 >= this.n) throw new Error('a split needs its two children added first, left then right');
    if (leftCategories) this.nodes[2 * node] = feature | CATEGORICAL | (this.storeSet(leftCategories) << 8);
    else this.nodes[2 * node] = feature | (threshold << 8);
    this.nodes[2 * node + 1] = left;
  }

  /** The index of an identical stored set, or of the set stored now (open addressing on a hash of its words). */
  private storeSet(set: Uint32Array): number {
    const words = this.setWords;
    const mask = this.slots.length - 1;
    for (let i = setHash(set, 0, words) & mask; ; i = (i + 1) & mask) {
      const s = this.slots[i] - 1;
      if (s < 0) {
        this.slots[i] = this.nSets + 1;
        break;
      }
      let equal = true;
      for (let w = 0; w < words && equal; w++) equal = this.categories[s * words + w] === set[w];
      if (equal) return s;
    }
    if ((this.nSets + 1) * words > this.categories.length) {
      const c = new Uint32Array(this.categories.length * 2);
      c.set(this.categories);
      this.categories = c;
    }
    this.categories.set(set.subarray(0, words), this.nSets * words);
    this.nSets++;
    if (2 * this.nSets > this.slots.length) this.rehash();
    return this.nSets - 1;
  }

  private rehash(): void {
    const words = this.setWords;
    this.slots = new Int32Array(this.slots.length * 2);
    const mask = this.slots.length - 1;
    for (let s = 0; s < this.nSets; s++) {
      let i = setHash(this.categories, s * words, words) & mask;
      while (this.slots[i] !== 0) i = (i + 1) & mask;
      this.slots[i] = s + 1;
    }
  }

  finish(): Tree {
    // On shared memory, so forest and prediction workers share trees instead of copying them.
    const nodes = shareArray(this.nodes.subarray(0, 2 * this.n));
    let leaves = 0;
    for (let i = 0; i < this.n; i++) if ((nodes[2 * i] & LEAF) === LEAF) leaves++;
    const values = new Float64Array(new SharedArrayBuffer(8 * leaves));
    for (let i = 0, l = 0; i < this.n; i++) {
      if ((nodes[2 * i] & LEAF) !== LEAF) continue;
      values[l] = this.nodeValue[i];
      nodes[2 * i + 1] = l++;
    }
    return {
      nodes,
      values,
      categories: shareArray(this.categories.subarray(0, this.nSets * this.setWords)),
      setWords: this.setWords,
    };
  }

  private grow(): void {
    const nodes = new Int32Array(this.nodes.length * 2);
    nodes.set(this.nodes);
    this.nodes = nodes;
    const values = new Float64Array(this.nodeValue.length * 2);
    values.set(this.nodeValue);
    this.nodeValue = values;
  }
}
