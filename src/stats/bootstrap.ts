import { SeededRandom } from './random';

/**
 * Block bootstrap: resample whole blocks (e.g. counter × day) with
 * replacement instead of rows, because errors of the same counter on the same
 * day move together; resampling rows would pretend 24 correlated hours are 24
 * independent facts and give intervals far too narrow.
 *
 * Each resample draws as many blocks as there are, uniformly with
 * replacement, from a seeded generator (same seed, same interval). Interval:
 * percentile method, with linear interpolation between order statistics
 * (numpy.percentile's default).
 */
export interface BootstrapInterval {
  /** The statistic on the data as observed. */
  estimate: number;
  lo: number;
  hi: number;
  confidence: number;
  resamples: number;
  blocks: number;
  seed: number;
}

export const DEFAULT_RESAMPLES = 2000;
export const DEFAULT_CONFIDENCE = 0.95;

/** How many resamples (default DEFAULT_RESAMPLES), from which seed, at which confidence (default DEFAULT_CONFIDENCE). */
export interface BootstrapSettings {
  resamples?: number;
  seed: number;
  confidence?: number;
}

function withDefaults(o: BootstrapSettings): { resamples: number; seed: number; confidence: number } {
  return { resamples: o.resamples ?? DEFAULT_RESAMPLES, seed: o.seed, confidence: o.confidence ?? DEFAULT_CONFIDENCE };
}

/** Dense block indices 0..k-1, numbered in order of first appearance (so the result does not depend on id spelling). */
export function denseBlockIndex(blocks: ArrayLike<number | string>): { index: Uint32Array; count: number } {
  const ids = new Map<number | string, number>();
  const index = new Uint32Array(blocks.length);
  for (let i = 0; i < blocks.length; i++) {
    let k = ids.get(blocks[i]);
    if (k === undefined) {
      k = ids.size;
      ids.set(blocks[i], k);
    }
    index[i] = k;
  }
  return { index, count: ids.size };
}

/** Per-block sums of `values` (a squared error, a count, ...). */
export function blockSums(values: ArrayLike<number>, index: Uint32Array, count: number): Float64Array {
  const out = new Float64Array(count);
  for (let i = 0; i < values.length; i++) out[index[i]] += values[i];
  return out;
}

/** numpy.percentile(sorted, 100 p) with linear interpolation; `sorted` ascending. */
export function percentileSorted(sorted: ArrayLike<number>, p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/**
 * Generic engine: `draw` receives the generator and returns one resampled
 * statistic; the caller decides what is resampled. Non-finite resamples
 * (e.g. a zero denominator) are dropped.
 */
export function bootstrapInterval(options: {
  estimate: number;
  resamples: number;
  seed: number;
  confidence: number;
  blocks: number;
  draw: (rng: SeededRandom) => number;
}): BootstrapInterval {
  const { resamples, seed, confidence } = options;
  if (!Number.isInteger(resamples) || resamples < 1)
    throw new RangeError(`resamples must be a positive integer, got ${resamples}`);
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence must be in (0, 1), got ${confidence}`);
  const rng = new SeededRandom(seed);
  const stats: number[] = [];
  for (let r = 0; r < resamples; r++) {
    const s = options.draw(rng);
    if (Number.isFinite(s)) stats.push(s);
  }
  const sorted = Float64Array.from(stats).sort();
  const tail = (1 - confidence) / 2;
  return {
    estimate: options.estimate,
    lo: sorted.length ? percentileSorted(sorted, tail) : NaN,
    hi: sorted.length ? percentileSorted(sorted, 1 - tail) : NaN,
    confidence,
    resamples,
    blocks: options.blocks,
    seed,
  };
}

/**
 * Σ over `nBlocks` blocks drawn with replacement of a statistic's two per-block sums (a numerator's and a
 * denominator's), the same draws for both, added in draw order in one pass.
 */
function drawBlockTotals(rng: SeededRandom, [a, b]: BlockSums, out: Float64Array): void {
  const n = a.length;
  const drawn = rng.fillInts(n, drawBuffer(n));
  let ta = 0;
  let tb = 0;
  for (let k = 0; k < n; k++) {
    const i = drawn[k];
    ta += a[i];
    tb += b[i];
  }
  out[0] = ta;
  out[1] = tb;
}

/** A statistic's per-block numerator and denominator sums. */
type BlockSums = readonly [Float64Array, Float64Array];

/** The block draws' buffer, kept for the largest count seen (2,000 resamples reuse it). */
let draws = new Uint32Array(0);
function drawBuffer(n: number): Uint32Array {
  if (draws.length < n) draws = new Uint32Array(n);
  return draws.subarray(0, n);
}

// A loop, not Float64Array.from(e, map): that walks an iterator, 50 ms for 100K values here.
function squares(e: ArrayLike<number>): Float64Array {
  const out = new Float64Array(e.length);
  for (let i = 0; i < e.length; i++) out[i] = e[i] * e[i];
  return out;
}
const ones = (n: number) => new Float64Array(n).fill(1);

/** Block bootstrap of the mean of `values`. */
export function blockBootstrapMean(
  options: BootstrapSettings & { values: ArrayLike<number>; blocks: ArrayLike<number | string> },
): BootstrapInterval {
  const { values, blocks } = options;
  if (values.length !== blocks.length || values.length === 0)
    throw new RangeError('block bootstrap needs one block id per value, and values');
  const { index, count } = denseBlockIndex(blocks);
  const sums: BlockSums = [blockSums(values, index, count), blockSums(ones(values.length), index, count)];
  const tot = new Float64Array(2);
  let total = 0;
  for (let i = 0; i < values.length; i++) total += values[i];
  return bootstrapInterval({
    ...withDefaults(options),
    estimate: total / values.length,
    blocks: count,
    draw: (rng) => {
      drawBlockTotals(rng, sums, tot);
      return tot[0] / tot[1];
    },
  });
}

/** A bootstrap interval whose statistic is a ratio (challenger RMSE ÷ champion RMSE). */
export type RatioInterval = Omit<BootstrapInterval, 'estimate'> & { ratio: number };

function asRatio(r: BootstrapInterval): RatioInterval {
  return {
    ratio: r.estimate,
    lo: r.lo,
    hi: r.hi,
    confidence: r.confidence,
    resamples: r.resamples,
    blocks: r.blocks,
    seed: r.seed,
  };
}

/**
 * Paired block bootstrap of RMSE(A) / RMSE(B) where A and B were scored on
 * the same rows (challenger vs champion): each resample draws blocks once and
 * uses both models' errors in them, so the shared difficulty of a block
 * cancels out. Errors are residuals (prediction - truth), any sign.
 */
export function pairedBlockBootstrapRatio(
  options: BootstrapSettings & {
    errorsA: ArrayLike<number>;
    errorsB: ArrayLike<number>;
    blocks: ArrayLike<number | string>;
  },
): RatioInterval {
  const { errorsA, errorsB, blocks } = options;
  if (errorsA.length !== errorsB.length || errorsA.length !== blocks.length)
    throw new RangeError('paired bootstrap needs errorsA, errorsB and blocks of one length');
  if (errorsA.length === 0) throw new RangeError('paired bootstrap needs at least one row');
  const { index, count } = denseBlockIndex(blocks);
  const sums: BlockSums = [blockSums(squares(errorsA), index, count), blockSums(squares(errorsB), index, count)];
  const totalA = sums[0].reduce((s, v) => s + v, 0);
  const totalB = sums[1].reduce((s, v) => s + v, 0);
  const tot = new Float64Array(2);
  return asRatio(
    bootstrapInterval({
      ...withDefaults(options),
      estimate: Math.sqrt(totalA / totalB),
      blocks: count,
      draw: (rng) => {
        drawBlockTotals(rng, sums, tot);
        return Math.sqrt(tot[0] / tot[1]);
      },
    }),
  );
}

/**
 * Unpaired block bootstrap of RMSE(recent) / RMSE(reference) for one model
 * on two different windows. The recent window's blocks are resampled; the
 * reference's too when its blocks are given, otherwise its RMSE is taken as
 * known (it usually comes from a much larger set), which the result states.
 * For each resample the recent blocks are drawn first, then the reference's.
 */
export function blockBootstrapRmseRatio(
  options: BootstrapSettings & {
    recentErrors: ArrayLike<number>;
    recentBlocks: ArrayLike<number | string>;
    referenceErrors: ArrayLike<number>;
    referenceBlocks?: ArrayLike<number | string>;
  },
): RatioInterval & { referenceResampled: boolean } {
  const { recentErrors, recentBlocks, referenceErrors, referenceBlocks } = options;
  if (recentErrors.length !== recentBlocks.length || recentErrors.length === 0)
    throw new RangeError('recent errors need one block id each');
  if (referenceErrors.length === 0) throw new RangeError('reference errors are empty');
  if (referenceBlocks && referenceBlocks.length !== referenceErrors.length)
    throw new RangeError('reference errors need one block id each');
  const rec = denseBlockIndex(recentBlocks);
  const recSums: BlockSums = [
    blockSums(squares(recentErrors), rec.index, rec.count),
    blockSums(ones(recentErrors.length), rec.index, rec.count),
  ];
  const refSq = squares(referenceErrors);
  const refMse = refSq.reduce((s, v) => s + v, 0) / refSq.length;
  const recMse = recSums[0].reduce((s, v) => s + v, 0) / recentErrors.length;
  const ref = referenceBlocks ? denseBlockIndex(referenceBlocks) : null;
  const refSums: BlockSums | null = ref
    ? [blockSums(refSq, ref.index, ref.count), blockSums(ones(refSq.length), ref.index, ref.count)]
    : null;
  const t1 = new Float64Array(2);
  const t2 = new Float64Array(2);
  const r = bootstrapInterval({
    ...withDefaults(options),
    estimate: Math.sqrt(recMse / refMse),
    blocks: rec.count,
    draw: (rng) => {
      drawBlockTotals(rng, recSums, t1);
      let refM = refMse;
      if (refSums) {
        drawBlockTotals(rng, refSums, t2);
        refM = t2[0] / t2[1];
      }
      return Math.sqrt(t1[0] / t1[1] / refM);
    },
  });
  return { ...asRatio(r), referenceResampled: !!refSums };
}
