import { blockBootstrapRmseRatio, rmse, rSquared, residuals, type RatioInterval } from '../stats';
import { DEFAULT_DRIFT_CONFIG, type DriftConfig } from './config';

/**
 * The champion's own performance: recent labelled window against a
 * comparable reference window (e.g. its test_baseline). A performance drop
 * is a plain threshold on the point estimates; concept drift also needs the
 * block-bootstrap interval of the RMSE ratio to lie above 1, so one bad
 * counter-day cannot fake it.
 */
export interface PerformanceInput {
  recent: { yTrue: ArrayLike<number>; yPred: ArrayLike<number>; blocks?: ArrayLike<number | string> };
  reference: { yTrue: ArrayLike<number>; yPred: ArrayLike<number>; blocks?: ArrayLike<number | string> };
}

export interface PerformanceResult {
  /** False when the recent window has fewer rows than the RMSE gate needs: no signal then. */
  assessed: boolean;
  note: string;
  recent: { rows: number; rmse: number; r2: number };
  reference: { rows: number; rmse: number; r2: number };
  /** recent RMSE / reference RMSE - 1. */
  rmseChange: number;
  /** recent R² - reference R² (negative = worse). */
  r2Change: number;
  performanceDrop: boolean;
  dropReasons: string[];
  conceptDrift: boolean;
  ratioInterval: RatioInterval & { blockSource: 'given' | 'row-chunks'; referenceResampled: boolean };
  thresholds: DriftConfig['performance'] & { minPerformanceRows: number };
}

export function assessPerformance(
  input: PerformanceInput,
  config: DriftConfig = DEFAULT_DRIFT_CONFIG,
): PerformanceResult {
  const c = config.performance;
  const { recent, reference } = input;
  const rec = {
    rows: recent.yTrue.length,
    rmse: rmse(recent.yTrue, recent.yPred),
    r2: rSquared(recent.yTrue, recent.yPred),
  };
  const ref = {
    rows: reference.yTrue.length,
    rmse: rmse(reference.yTrue, reference.yPred),
    r2: rSquared(reference.yTrue, reference.yPred),
  };
  const rmseChange = rec.rmse / ref.rmse - 1;
  const r2Change = rec.r2 - ref.r2;

  const blockSource = recent.blocks ? 'given' : 'row-chunks';
  const blocks = recent.blocks ?? chunkBlocks(rec.rows, c.defaultBlockRows);
  const ci = blockBootstrapRmseRatio({
    recentErrors: residuals(recent.yTrue, recent.yPred),
    recentBlocks: blocks,
    referenceErrors: residuals(reference.yTrue, reference.yPred),
    referenceBlocks: reference.blocks,
    resamples: c.bootstrapResamples,
    seed: c.bootstrapSeed,
    confidence: c.confidence,
  });

  const assessed = rec.rows >= config.gates.minPerformanceRows;
  const dropReasons: string[] = [];
  if (rmseChange > c.rmseRise)
    dropReasons.push(
      `RMSE ${ref.rmse.toFixed(2)} → ${rec.rmse.toFixed(2)} (+${pct(rmseChange)} > +${pct(c.rmseRise)})`,
    );
  if (-r2Change > c.r2Fall)
    dropReasons.push(`R² ${ref.r2.toFixed(3)} → ${rec.r2.toFixed(3)} (${r2Change.toFixed(3)} < -${c.r2Fall})`);
  const conceptDrift = assessed && rmseChange > c.conceptRmseRise && ci.lo > 1;
  return {
    assessed,
    note: assessed
      ? `RMSE ratio ${ci.ratio.toFixed(3)} [${ci.lo.toFixed(3)}, ${ci.hi.toFixed(3)}] (${(c.confidence * 100).toFixed(0)}% block bootstrap, ${ci.blocks} blocks)`
      : `only ${rec.rows} recent labelled rows (< ${config.gates.minPerformanceRows}): performance not assessed`,
    recent: rec,
    reference: ref,
    rmseChange,
    r2Change,
    performanceDrop: assessed && dropReasons.length > 0,
    dropReasons,
    conceptDrift,
    ratioInterval: { ...ci, blockSource },
    thresholds: { ...c, minPerformanceRows: config.gates.minPerformanceRows },
  };
}

/** Consecutive chunks of `size` rows as block ids (rows arrive in time order, so a chunk is a stretch of hours). */
function chunkBlocks(n: number, size: number): Uint32Array {
  return Uint32Array.from({ length: n }, (_, i) => Math.floor(i / size));
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}
