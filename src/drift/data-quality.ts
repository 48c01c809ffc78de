import type { CountTable } from '../core/counts';
import { HOUR_MS } from '../core/time';
import { DEFAULT_DRIFT_CONFIG, DEFAULT_MAX_HOURLY_COUNT, type DriftConfig } from './config';
import { featureColumn, prepareTables } from './prepared-tables';
import { summaryFits, type ReferenceSummary } from './reference-summary';
import { cellOf, medianMadByGroup, robustBaseline } from './robust-baseline';

/**
 * Is the current window fit to train on? Broken sensors (long runs of zeros
 * or of one repeated value), missing hours, outliers against each counter's
 * usual reading at that hour, counters training never saw.
 *
 * Outliers: modified z = 0.6745 (r - median_c(r)) / MAD_cell on the residual
 * r = log(count + 1) - reference median of its (counter, hour, weekend)
 * cell. Subtracting each counter's own current median residual takes a
 * network-wide level shift (a lockdown, a strike: drift's business) out, so
 * what remains flagged is a reading inconsistent with its own counter's week.
 */
export type QualityStatus = 'OK' | 'WARNING' | 'CRITICAL';

export interface QualityFinding {
  code:
    | 'implausible-counts'
    | 'broken-sensors'
    | 'outliers'
    | 'missing-hours'
    | 'duplicate-hours'
    | 'unseen-counters'
    | 'silent-counters';
  severity: 'info' | 'warning' | 'critical';
  message: string;
  value: number;
  threshold?: number;
}

export interface BrokenRun {
  counterId: string;
  kind: 'zero' | 'stuck';
  fromMs: number;
  toMs: number;
  hours: number;
  /** The repeated value (0 for zero runs). */
  value: number;
}

/** A count above the physical bound (maxHourlyCount): a sensor or export fault, never traffic. */
export interface ImplausibleCount {
  counterId: string;
  /** The counted hour, ISO-8601 UTC. */
  hour: string;
  count: number;
}

export interface DataQualityResult {
  status: QualityStatus;
  /** Critical quality blocks retraining: training on a broken sensor's zeros replaces a good champion with a bad one. */
  critical: boolean;
  findings: QualityFinding[];
  rows: number;
  counters: number;
  outlierShare: number;
  outlierRows: number;
  /** Rows above maxHourlyCount (the first ones in time order; any makes data quality CRITICAL). */
  implausibleCounts: ImplausibleCount[];
  implausibleCountsTotal: number;
  brokenRowShare: number;
  brokenRuns: BrokenRun[];
  brokenRunsTotal: number;
  missingHourShare: number;
  duplicateRows: number;
  unseenCounters: { counterId: string; rows: number }[];
  unseenRowShare: number;
  silentCounters: string[];
  /** Outlier share per counter for the worst ones (report). */
  worstCounters: { counterId: string; outlierShare: number; rows: number }[];
  thresholds: DriftConfig['quality'];
}

const MAX_LISTED = 20;
/** Implausible rows named in the finding's message (all of them are counted). */
const IMPLAUSIBLE_NAMED = 5;

export function assessDataQuality(
  current: CountTable,
  reference: CountTable,
  config: DriftConfig = DEFAULT_DRIFT_CONFIG,
  /** The reference's summary computed before (a cache); used only when it fits this reference. */
  summary?: ReferenceSummary | null,
): DataQualityResult {
  return assessDataQualityWithSummary(current, reference, config, summary).result;
}

/** The result and the reference summary it used (the given one, or the one computed here). */
export function assessDataQualityWithSummary(
  current: CountTable,
  reference: CountTable,
  config: DriftConfig = DEFAULT_DRIFT_CONFIG,
  summary?: ReferenceSummary | null,
): { result: DataQualityResult; summary: ReferenceSummary } {
  const q = config.quality;
  if (current.length === 0) throw new RangeError('data quality needs a non-empty current window');
  const p = prepareTables(reference, current);
  const nCounters = p.spec.counters.length;

  // Reference baseline per (counter, hour, weekend) cell: from the summary when it fits, else computed.
  const used =
    summary && summaryFits(summary, p.spec.counters, q.minBaselineRows)
      ? summary
      : {
          counters: p.spec.counters,
          minBaselineRows: q.minBaselineRows,
          baseline: robustBaseline(
            Float64Array.from(reference.count, Math.log1p),
            cellsOf(p.ref, reference.length),
            nCounters,
            q.minBaselineRows,
          ),
        };
  const base = used.baseline;

  // Rows per current counter, in time order, for run and gap checks.
  const byCounter = new Map<string, number[]>();
  for (let i = 0; i < current.length; i++) {
    const id = current.counterId[i];
    let l = byCounter.get(id);
    if (!l) byCounter.set(id, (l = []));
    l.push(i);
  }
  let tMin = Infinity;
  let tMax = -Infinity;
  for (let i = 0; i < current.length; i++) {
    tMin = Math.min(tMin, current.timestampMs[i]);
    tMax = Math.max(tMax, current.timestampMs[i]);
  }
  const windowHours = Math.round((tMax - tMin) / HOUR_MS) + 1;

  const inBrokenRun = new Uint8Array(current.length);
  const runs: BrokenRun[] = [];
  let duplicateRows = 0;
  let presentHours = 0;
  for (const [id, rows] of byCounter) {
    rows.sort((a, b) => current.timestampMs[a] - current.timestampMs[b] || a - b);
    let prevTs = NaN;
    let distinct = 0;
    const ordered: number[] = [];
    for (const i of rows) {
      if (current.timestampMs[i] === prevTs) duplicateRows++;
      else {
        distinct++;
        ordered.push(i);
      }
      prevTs = current.timestampMs[i];
    }
    presentHours += distinct;
    findRuns(current, id, ordered, q.zeroRunHours, q.stuckRunHours, runs, inBrokenRun);
  }
  const expectedHours = windowHours * byCounter.size;
  const missingHourShare = expectedHours > 0 ? Math.max(0, 1 - presentHours / expectedHours) : 0;
  let brokenRows = 0;
  for (let i = 0; i < current.length; i++) brokenRows += inBrokenRun[i];
  const brokenRowShare = brokenRows / current.length;

  // Level-adjusted robust z of rows with a baseline, broken runs excluded (counted above).
  const curCells = cellsOf(p.cur, current.length);
  const curCode = featureColumn(p.cur, 'counter');
  const resid = new Float64Array(current.length);
  const idx: number[] = [];
  for (let i = 0; i < current.length; i++) {
    const c = curCells[i];
    if (curCode[i] >= nCounters || !base.known[c] || inBrokenRun[i]) continue;
    resid[i] = Math.log1p(current.count[i]) - base.median[c];
    idx.push(i);
  }
  const groups = Uint32Array.from(idx, (i) => curCode[i]);
  const level = medianMadByGroup(
    Float64Array.from(idx, (i) => resid[i]),
    groups,
    nCounters,
  ).median;
  const outByCounter = new Float64Array(nCounters);
  const rowsByCounter = new Float64Array(nCounters);
  let outlierRows = 0;
  for (const i of idx) {
    const k = curCode[i];
    const z = (0.6745 * (resid[i] - level[k])) / Math.max(base.mad[curCells[i]], q.madFloor);
    rowsByCounter[k]++;
    if (Math.abs(z) > q.robustZ) {
      outlierRows++;
      outByCounter[k]++;
    }
  }
  const outlierShare = idx.length ? outlierRows / idx.length : 0;

  const unseen = p.cur.unseenCounters;
  const unseenRows = unseen.reduce((s, c) => s + c.rows, 0);
  const unseenRowShare = unseenRows / current.length;
  const seenNow = new Set(byCounter.keys());
  const silentCounters = p.spec.counters.filter((c) => !seenNow.has(c));

  const findings: QualityFinding[] = [];
  // Recorded configs from before the setting existed have none: the default bound applies.
  const maxCount = q.maxHourlyCount ?? DEFAULT_MAX_HOURLY_COUNT;
  const implausible = implausibleCounts(current, maxCount);
  if (implausible.length) {
    const named = implausible
      .slice(0, IMPLAUSIBLE_NAMED)
      .map((r) => `counter ${r.counterId} at ${r.hour}: ${r.count}`)
      .join('; ');
    const more = implausible.length > IMPLAUSIBLE_NAMED ? `; and ${implausible.length - IMPLAUSIBLE_NAMED} more` : '';
    findings.push({
      code: 'implausible-counts',
      severity: 'critical',
      message: `${implausible.length} row(s) above maxHourlyCount ${maxCount} (a sensor or export fault, not traffic): ${named}${more}`,
      value: implausible.length,
      threshold: maxCount,
    });
  }
  if (runs.length) {
    const zero = runs.filter((r) => r.kind === 'zero').length;
    findings.push({
      code: 'broken-sensors',
      severity: brokenRowShare >= q.brokenRowShareCritical ? 'critical' : 'warning',
      message: `${new Set(runs.map((r) => r.counterId)).size} counter(s) broken: ${zero} run(s) of zeros ≥ ${q.zeroRunHours} h, ${runs.length - zero} stuck run(s) ≥ ${q.stuckRunHours} h; ${pct(brokenRowShare)} of rows (critical at ${pct(q.brokenRowShareCritical)})`,
      value: brokenRowShare,
      threshold: q.brokenRowShareCritical,
    });
  }
  // A share past its warning level is a finding, critical past its critical level.
  const flagShare = (code: QualityFinding['code'], value: number, warn: number, critical: number, message: string) => {
    if (value > warn)
      findings.push({ code, severity: value > critical ? 'critical' : 'warning', message, value, threshold: warn });
  };
  flagShare(
    'outliers',
    outlierShare,
    q.outlierShareWarn,
    q.outlierShareCritical,
    `${pct(outlierShare)} of rows are outliers (|robust z| > ${q.robustZ} on log(count + 1) against their counter-hour; flag above ${pct(q.outlierShareWarn)})`,
  );
  flagShare(
    'missing-hours',
    missingHourShare,
    q.missingHourShareWarn,
    q.missingHourShareCritical,
    `${pct(missingHourShare)} of counter-hours missing in the window (flag above ${pct(q.missingHourShareWarn)})`,
  );
  if (duplicateRows > 0)
    findings.push({
      code: 'duplicate-hours',
      severity: 'warning',
      message: `${duplicateRows} duplicate counter-hour row(s)`,
      value: duplicateRows,
    });
  if (unseen.length)
    findings.push({
      code: 'unseen-counters',
      severity: unseenRowShare >= config.counterMix.newCounterShare ? 'warning' : 'info',
      message: `${unseen.length} counter(s) never seen in training carry ${pct(unseenRowShare)} of rows: the model can only place them by lat/lon`,
      value: unseenRowShare,
      threshold: config.counterMix.newCounterShare,
    });
  if (silentCounters.length)
    findings.push({
      code: 'silent-counters',
      severity: 'info',
      message: `${silentCounters.length} reference counter(s) report nothing in this window`,
      value: silentCounters.length,
    });

  const status: QualityStatus = findings.some((f) => f.severity === 'critical')
    ? 'CRITICAL'
    : findings.some((f) => f.severity === 'warning')
      ? 'WARNING'
      : 'OK';
  const worst = Array.from({ length: nCounters }, (_, k) => k)
    .filter((k) => rowsByCounter[k] > 0 && outByCounter[k] > 0)
    .sort((a, b) => outByCounter[b] / rowsByCounter[b] - outByCounter[a] / rowsByCounter[a])
    .slice(0, 10)
    .map((k) => ({
      counterId: p.spec.counters[k],
      outlierShare: outByCounter[k] / rowsByCounter[k],
      rows: rowsByCounter[k],
    }));
  const result: DataQualityResult = {
    status,
    critical: status === 'CRITICAL',
    findings,
    rows: current.length,
    counters: byCounter.size,
    outlierShare,
    outlierRows,
    implausibleCounts: implausible.slice(0, MAX_LISTED),
    implausibleCountsTotal: implausible.length,
    brokenRowShare,
    brokenRuns: runs.slice(0, MAX_LISTED),
    brokenRunsTotal: runs.length,
    missingHourShare,
    duplicateRows,
    unseenCounters: unseen.slice(0, MAX_LISTED),
    unseenRowShare,
    silentCounters: silentCounters.slice(0, MAX_LISTED),
    worstCounters: worst,
    thresholds: q,
  };
  return { result, summary: used };
}

/** Rows above the bound, in time order (then counter id). */
function implausibleCounts(t: CountTable, max: number): ImplausibleCount[] {
  const rows: number[] = [];
  for (let i = 0; i < t.length; i++) if (t.count[i] > max) rows.push(i);
  rows.sort((a, b) => t.timestampMs[a] - t.timestampMs[b] || (t.counterId[a] < t.counterId[b] ? -1 : 1));
  return rows.map((i) => ({
    counterId: t.counterId[i],
    hour: new Date(t.timestampMs[i]).toISOString(),
    count: t.count[i],
  }));
}

function cellsOf(b: ReturnType<typeof prepareTables>['ref'], n: number): Uint32Array {
  const code = featureColumn(b, 'counter');
  const hour = featureColumn(b, 'hour');
  const weekend = featureColumn(b, 'is_weekend');
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) out[i] = cellOf(code[i], hour[i], weekend[i]);
  return out;
}

/** Runs of one value over consecutive hours: zeros ≥ zeroRun hours, any other value ≥ stuckRun hours. */
function findRuns(
  t: CountTable,
  id: string,
  ordered: number[],
  zeroRun: number,
  stuckRun: number,
  out: BrokenRun[],
  mark: Uint8Array,
): void {
  let start = 0;
  for (let k = 1; k <= ordered.length; k++) {
    const continues =
      k < ordered.length &&
      t.count[ordered[k]] === t.count[ordered[start]] &&
      t.timestampMs[ordered[k]] - t.timestampMs[ordered[k - 1]] === HOUR_MS;
    if (continues) continue;
    const len = k - start;
    const value = t.count[ordered[start]];
    if (len >= (value === 0 ? zeroRun : stuckRun)) {
      out.push({
        counterId: id,
        kind: value === 0 ? 'zero' : 'stuck',
        fromMs: t.timestampMs[ordered[start]],
        toMs: t.timestampMs[ordered[k - 1]] + HOUR_MS,
        hours: len,
        value,
      });
      for (let j = start; j < k; j++) mark[ordered[j]] = 1;
    }
    start = k;
  }
}

function pct(x: number): string {
  return `${(x * 100).toFixed(x < 0.01 ? 2 : 1)}%`;
}
