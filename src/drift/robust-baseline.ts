/**
 * Median and MAD of log(count + 1) per cell (counter × hour of day ×
 * weekend), from the reference: what a counter usually reads at that hour.
 * Cells with too few rows borrow their counter's overall figures.
 */
export interface RobustBaseline {
  median: Float64Array;
  mad: Float64Array;
  /** Cell has a usable baseline (own or the counter's fallback). */
  known: Uint8Array;
}

export const CELLS_PER_COUNTER = 48;

export function cellOf(counterCode: number, hour: number, weekend: number): number {
  return counterCode * CELLS_PER_COUNTER + hour * 2 + weekend;
}

export function robustBaseline(
  logCounts: Float64Array,
  cells: Uint32Array,
  nCounters: number,
  minRows: number,
): RobustBaseline {
  const nCells = nCounters * CELLS_PER_COUNTER;
  const cell = medianMadByGroup(logCounts, cells, nCells);
  const counterOf = new Uint32Array(cells.length);
  for (let i = 0; i < cells.length; i++) counterOf[i] = Math.floor(cells[i] / CELLS_PER_COUNTER);
  const counter = medianMadByGroup(logCounts, counterOf, nCounters);
  const median = new Float64Array(nCells);
  const mad = new Float64Array(nCells);
  const known = new Uint8Array(nCells);
  for (let c = 0; c < nCells; c++) {
    const k = Math.floor(c / CELLS_PER_COUNTER);
    if (cell.n[c] >= minRows) {
      median[c] = cell.median[c];
      mad[c] = cell.mad[c];
      known[c] = 1;
    } else if (counter.n[k] >= minRows) {
      median[c] = counter.median[k];
      mad[c] = counter.mad[k];
      known[c] = 1;
    }
  }
  return { median, mad, known };
}

/** Median and median absolute deviation of `values` per group, by bucketing then sorting each bucket. */
export function medianMadByGroup(
  values: Float64Array,
  group: Uint32Array,
  nGroups: number,
): { median: Float64Array; mad: Float64Array; n: Uint32Array } {
  const n = new Uint32Array(nGroups);
  for (let i = 0; i < group.length; i++) n[group[i]]++;
  const start = new Uint32Array(nGroups + 1);
  for (let g = 0; g < nGroups; g++) start[g + 1] = start[g] + n[g];
  const fill = start.slice(0, nGroups);
  const buf = new Float64Array(values.length);
  for (let i = 0; i < group.length; i++) buf[fill[group[i]]++] = values[i];
  const median = new Float64Array(nGroups);
  const mad = new Float64Array(nGroups);
  for (let g = 0; g < nGroups; g++) {
    if (n[g] === 0) continue;
    const part = buf.subarray(start[g], start[g + 1]).sort();
    const m = medianSorted(part);
    for (let j = 0; j < part.length; j++) part[j] = Math.abs(part[j] - m);
    part.sort();
    median[g] = m;
    mad[g] = medianSorted(part);
  }
  return { median, mad, n };
}

export function medianSorted(a: ArrayLike<number>): number {
  const n = a.length;
  if (n === 0) return NaN;
  const h = n >> 1;
  return n % 2 ? a[h] : (a[h - 1] + a[h]) / 2;
}
