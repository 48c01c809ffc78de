/**
 * One regression tree as flat typed arrays (compact, fast to traverse, and
 * saved to the artifact as is). A leaf has feature −1.
 */
export interface Tree {
  feature: Int16Array;
  threshold: Uint8Array;
  /** Index of the node's category set in `categories` (8 × 32-bit words per set), or −1. */
  categorySet: Int32Array;
  left: Int32Array;
  right: Int32Array;
  value: Float64Array;
  /** Bitsets of the categories that go left: bin b of set s is bit (b & 31) of word s·8 + (b >> 5). */
  categories: Uint32Array;
}

export const SET_WORDS = 8;

export class TreeBuilder {
  private n = 0;
  private nSets = 0;
  private feature = new Int16Array(64);
  private threshold = new Uint8Array(64);
  private categorySet = new Int32Array(64);
  private left = new Int32Array(64);
  private right = new Int32Array(64);
  private value = new Float64Array(64);
  private categories = new Uint32Array(SET_WORDS * 4);

  addLeaf(value: number): number {
    if (this.n === this.feature.length) this.grow();
    const i = this.n++;
    this.feature[i] = -1;
    this.categorySet[i] = -1;
    this.left[i] = -1;
    this.right[i] = -1;
    this.value[i] = value;
    return i;
  }

  makeSplit(node: number, feature: number, threshold: number, leftCategories: Uint8Array | null, left: number, right: number): void {
    this.feature[node] = feature;
    this.threshold[node] = threshold;
    this.left[node] = left;
    this.right[node] = right;
    if (leftCategories) {
      if ((this.nSets + 1) * SET_WORDS > this.categories.length) {
        const c = new Uint32Array(this.categories.length * 2);
        c.set(this.categories);
        this.categories = c;
      }
      const base = this.nSets * SET_WORDS;
      for (let b = 0; b < leftCategories.length; b++) if (leftCategories[b] === 1) this.categories[base + (b >> 5)] |= 1 << (b & 31);
      this.categorySet[node] = this.nSets++;
    }
  }

  finish(): Tree {
    return {
      feature: this.feature.slice(0, this.n),
      threshold: this.threshold.slice(0, this.n),
      categorySet: this.categorySet.slice(0, this.n),
      left: this.left.slice(0, this.n),
      right: this.right.slice(0, this.n),
      value: this.value.slice(0, this.n),
      categories: this.categories.slice(0, this.nSets * SET_WORDS),
    };
  }

  private grow(): void {
    const size = this.feature.length * 2;
    const re = <T extends Int16Array | Uint8Array | Int32Array | Float64Array>(a: T, make: (n: number) => T): T => {
      const b = make(size);
      b.set(a as never);
      return b;
    };
    this.feature = re(this.feature, (n) => new Int16Array(n));
    this.threshold = re(this.threshold, (n) => new Uint8Array(n));
    this.categorySet = re(this.categorySet, (n) => new Int32Array(n));
    this.left = re(this.left, (n) => new Int32Array(n));
    this.right = re(this.right, (n) => new Int32Array(n));
    this.value = re(this.value, (n) => new Float64Array(n));
  }
}

export function goesLeft(t: Tree, node: number, bin: number): boolean {
  const set = t.categorySet[node];
  return set >= 0 ? ((t.categories[set * SET_WORDS + (bin >> 5)] >>> (bin & 31)) & 1) === 1 : bin <= t.threshold[node];
}

/** Adds `scale ×` the tree's prediction for each row of a binned matrix to `out`. */
export function addTreePredictions(t: Tree, binned: readonly Uint8Array[], out: Float64Array, scale = 1): void {
  // The hot loop of prediction: goesLeft inlined, arrays in locals.
  const { feature, threshold, categorySet, left, right, value, categories } = t;
  const n = out.length;
  for (let i = 0; i < n; i++) {
    let node = 0;
    let f = feature[0];
    while (f >= 0) {
      const bin = binned[f][i];
      const set = categorySet[node];
      node = (set >= 0 ? ((categories[set * SET_WORDS + (bin >> 5)] >>> (bin & 31)) & 1) === 1 : bin <= threshold[node]) ? left[node] : right[node];
      f = feature[node];
    }
    out[i] += scale * value[node];
  }
}
