import { histogramTotals, subtractHistogram } from './histogram';
import { partitionNode, type NodeRows } from './partition';
import type { Split } from './split-finding';
import { TreeBuilder, type Tree } from './tree';
import type { GrowOptions, GrowWorkspace } from './grow-tree';

/** A final leaf: its node, and the range of `rows` that ends in it. */
export interface LeafRange {
  node: number;
  start: number;
  end: number;
}

interface Candidate extends LeafRange {
  depth: number;
  W: number;
  S: number;
  /** Rows (without sample weights, the same as W). */
  N: number;
  hist: Float64Array | null;
  split: Split | null;
}

/**
 * Boosting's shortcut for the root, the largest histogram of a round (see nextRootHistogram): `root`,
 * when given, is the root's histogram for these rows and stats, used instead of building it;
 * `keepHistograms` returns the root's histogram and the final leaves' (their cells, not rebuilt).
 */
export interface RootReuse {
  root?: Float64Array | null;
  keepHistograms?: boolean;
}

export interface BestFirstTree {
  tree: Tree;
  leaves: LeafRange[];
  /** With `keepHistograms`: the root's histogram (null for a root too small for one) … */
  rootHistogram?: Float64Array | null;
  /** … and each leaf's (null for a small leaf), in the order of `leaves`. */
  leafHistograms?: (Float64Array | null)[];
}

/**
 * A workspace that may partition its own rows (BoostingWorkspace, with its kernels and helper); the
 * rows are then its own, and `partition` gives partitionNode's result.
 */
export type PartitioningWorkspace = GrowWorkspace & { partition?(split: Split, start: number, end: number): number };

/**
 * Grows one tree best-first, as LightGBM and scikit-learn's
 * HistGradientBoosting do for boosting: always split the leaf whose best
 * split gains most, until `maxLeafNodes` leaves (31 by default). A boosting
 * round then spends its histogram passes where the loss falls fastest, and
 * every tree has the same small size whatever the depth it needs.
 * Returns the tree and where its leaves' rows are in `r.rows`, so the
 * caller updates training predictions without walking the tree.
 */
export function growTreeBestFirst(
  ws: PartitioningWorkspace,
  r: NodeRows,
  o: GrowOptions,
  reuse: RootReuse = {},
): BestFirstTree {
  const maxLeaves = o.maxLeafNodes && o.maxLeafNodes > 1 ? o.maxLeafNodes : Infinity;
  const maxDepth = o.maxDepth > 0 ? o.maxDepth : Infinity;
  const all = Array.from({ length: ws.packed.stride }, (_, f) => f);
  const builder = new TreeBuilder(ws.setWords);
  const free: Float64Array[] = [];
  const take = () => free.pop() ?? ws.newHistogram();
  const n = r.rows.length;
  const at = { r, packed: ws.packed };

  /**
   * The children's histograms (null for a small child): the smaller built
   * from its rows, the larger subtracted in place into the parent's buffer,
   * which the parent no longer needs.
   */
  const childHistograms = (
    parent: Float64Array | null,
    start: number,
    mid: number,
    end: number,
  ): [Float64Array | null, Float64Array | null] => {
    const nl = mid - start;
    const nr = end - mid;
    const needL = nl > ws.smallNodeRows;
    const needR = nr > ws.smallNodeRows;
    const leftSmaller = nl <= nr;
    const [sa, sb, own, sibling] = leftSmaller ? [start, mid, nr, nl] : [mid, end, nl, nr];
    let small: Float64Array | null = null;
    let big: Float64Array | null = null;
    if (needL && needR) {
      small = take();
      ws.build(small, at, sa, sb);
      if (ws.viaSibling(parent, own, sibling)) {
        subtractHistogram(parent!, parent!, small);
        big = parent;
      } else {
        big = take();
        ws.build(big, at, leftSmaller ? mid : start, leftSmaller ? end : mid);
      }
    } else if (needL || needR) {
      // Only the larger child needs one.
      if (ws.viaSibling(parent, own, sibling)) {
        const tmp = take();
        ws.build(tmp, at, sa, sb);
        subtractHistogram(parent!, parent!, tmp);
        free.push(tmp);
        big = parent;
      } else {
        big = take();
        ws.build(big, at, leftSmaller ? mid : start, leftSmaller ? end : mid);
      }
    }
    if (parent && big !== parent) free.push(parent);
    return leftSmaller ? [small, big] : [big, small];
  };

  const evaluate = (c: Candidate): Candidate => {
    if (c.depth < maxDepth && c.end - c.start >= 2 && c.N >= 2 * o.minSamplesLeaf)
      c.split = ws.findSplit(c.hist, at, c.start, c.end, all, c.W, c.S, c.N);
    // A leaf that will not split gives its histogram back (unless the caller keeps the leaves').
    if (!c.split && c.hist && !reuse.keepHistograms) {
      free.push(c.hist);
      c.hist = null;
    }
    return c;
  };

  const rootHist = n > ws.smallNodeRows ? take() : null;
  if (rootHist && reuse.root) rootHist.set(reuse.root);
  const { W, S, N } = rootHist && reuse.root ? histogramTotals(rootHist, ws.layout) : ws.rootTotals(rootHist, at);
  // The root's buffer becomes its larger child's (subtracted in place): a copy for the caller.
  const rootHistogram = reuse.keepHistograms && rootHist ? Float64Array.from(rootHist) : null;
  const leaves: Candidate[] = [
    evaluate({ node: builder.addLeaf(S / W), start: 0, end: n, depth: 0, W, S, N, hist: rootHist, split: null }),
  ];

  while (leaves.length < maxLeaves) {
    let bi = -1;
    for (let i = 0; i < leaves.length; i++)
      if (leaves[i].split && (bi < 0 || leaves[i].split!.gain > leaves[bi].split!.gain)) bi = i;
    if (bi < 0) break;
    const p = leaves[bi];
    const split = p.split!;
    const mid = ws.partition
      ? ws.partition(split, p.start, p.end)
      : partitionNode(r.rows, ws.scratch, ws.packed, split, p.start, p.end, p.end - p.start <= ws.smallNodeRows);
    const left = builder.addLeaf(split.sl / split.wl);
    builder.addLeaf((p.S - split.sl) / (p.W - split.wl));
    builder.makeSplit(p.node, split.feature, split.threshold, split.leftCategories, left);
    const [lh, rh] = childHistograms(p.hist, p.start, mid, p.end);
    const l = evaluate({
      node: left,
      start: p.start,
      end: mid,
      depth: p.depth + 1,
      W: split.wl,
      S: split.sl,
      N: split.nl,
      hist: lh,
      split: null,
    });
    const rr = evaluate({
      node: left + 1,
      start: mid,
      end: p.end,
      depth: p.depth + 1,
      W: p.W - split.wl,
      S: p.S - split.sl,
      N: p.N - split.nl,
      hist: rh,
      split: null,
    });
    leaves.splice(bi, 1, l, rr);
  }
  const tree = builder.finish();
  const ranges = leaves.map(({ node, start, end }) => ({ node, start, end }));
  if (reuse.keepHistograms) return { tree, leaves: ranges, rootHistogram, leafHistograms: leaves.map((c) => c.hist) };
  return { tree, leaves: ranges };
}
