import { CELLS_PER_COUNTER, type RobustBaseline } from './robust-baseline';

/**
 * What the drift check derives from the reference (train_baseline) alone:
 * the data-quality baseline, median and MAD of log(count + 1) per (counter,
 * hour, weekend) cell. It depends only on the reference's rows, the feature
 * pipeline (the counter vocabulary orders the cells) and minBaselineRows, so
 * it is computed once per reference and kept (see champion/drift-reference.ts).
 */
export interface ReferenceSummary {
  /** The counter vocabulary the cells are laid out by (the feature spec fitted on the reference). */
  counters: string[];
  minBaselineRows: number;
  baseline: RobustBaseline;
}

/** Whether a summary fits a reference with this vocabulary and setting (anything else is recomputed). */
export function summaryFits(s: ReferenceSummary, counters: readonly string[], minBaselineRows: number): boolean {
  const cells = counters.length * CELLS_PER_COUNTER;
  return (
    s.minBaselineRows === minBaselineRows &&
    s.counters.length === counters.length &&
    s.counters.every((c, i) => c === counters[i]) &&
    s.baseline.median.length === cells &&
    s.baseline.mad.length === cells &&
    s.baseline.known.length === cells
  );
}

/** JSON (numbers round-trip exactly): a few thousand cells. */
export function encodeReferenceSummary(s: ReferenceSummary): string {
  return JSON.stringify({
    format: 1,
    counters: s.counters,
    minBaselineRows: s.minBaselineRows,
    median: Array.from(s.baseline.median),
    mad: Array.from(s.baseline.mad),
    known: Array.from(s.baseline.known),
  });
}

/** The summary, or null when the text is not one (a corrupt or foreign entry: recompute). */
export function decodeReferenceSummary(text: string): ReferenceSummary | null {
  try {
    const o = JSON.parse(text) as Record<string, unknown>;
    const numbers = (v: unknown) => Array.isArray(v) && v.every((x) => typeof x === 'number' && Number.isFinite(x));
    if (
      o.format !== 1 ||
      !Array.isArray(o.counters) ||
      !o.counters.every((c) => typeof c === 'string') ||
      typeof o.minBaselineRows !== 'number' ||
      !numbers(o.median) ||
      !numbers(o.mad) ||
      !numbers(o.known)
    )
      return null;
    return {
      counters: o.counters as string[],
      minBaselineRows: o.minBaselineRows,
      baseline: {
        median: Float64Array.from(o.median as number[]),
        mad: Float64Array.from(o.mad as number[]),
        known: Uint8Array.from(o.known as number[]),
      },
    };
  } catch {
    return null;
  }
}
