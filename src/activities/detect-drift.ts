import { Context } from '@temporalio/activity';
import type { CountTable } from '../core/counts';
import { readBaselineSet } from '../datasets/baseline-datasets';
import type { ActivityDeps } from './deps';
import type { DriftResult, RunKey } from './types';
import type { RunConfig } from '../config/run-config';

const DAY_MS = 86_400_000;

/**
 * Reference (the training baseline) against the last `driftDays` before asOf.
 * Signals compared: the hourly count distribution (KS distance) and the
 * counter mix (total variation distance). Calendar features are left out on
 * purpose: a week against a year always "drifts" in month and never in hour.
 */
export function makeDetectDrift(deps: ActivityDeps) {
  return async function detectDrift(args: { run: RunKey; asOfMs: number; config: RunConfig }): Promise<DriftResult> {
    const { config, asOfMs } = args;
    Context.current().heartbeat({ phase: 'loading' });
    const reference = await readBaselineSet(deps.artifacts, 'train');
    const current = await deps.warehouse.queryCounts({ fromMs: asOfMs - config.windows.driftDays * DAY_MS, toMs: asOfMs });
    if (current.length < config.drift.minRows) {
      return {
        driftDetected: null, driftShare: null, driftedFeatures: [], features: [], referenceRows: reference.length,
        currentRows: current.length, note: `only ${current.length} current rows (< ${config.drift.minRows}): drift not assessed`, reportUri: null,
      };
    }
    Context.current().heartbeat({ phase: 'comparing' });
    const threshold = config.drift.ksThreshold;
    const features = [
      { name: 'hourly_count', statistic: ksStatistic(reference.count, current.count), threshold, drifted: false },
      { name: 'counter_mix', statistic: counterMixDistance(reference, current), threshold, drifted: false },
    ].map((f) => ({ ...f, drifted: f.statistic >= f.threshold }));
    const drifted = features.filter((f) => f.drifted).map((f) => f.name);
    const share = drifted.length / features.length;
    return {
      driftDetected: share >= config.drift.shareThreshold,
      driftShare: share,
      driftedFeatures: drifted,
      features,
      referenceRows: reference.length,
      currentRows: current.length,
      note: `${drifted.length}/${features.length} signals drifted (share threshold ${config.drift.shareThreshold})`,
      reportUri: null,
    };
  };
}

/** Two-sample Kolmogorov–Smirnov distance sup|F1 - F2|. */
export function ksStatistic(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const x = Float64Array.from(a).sort();
  const y = Float64Array.from(b).sort();
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < x.length && j < y.length) {
    const v = Math.min(x[i], y[j]);
    while (i < x.length && x[i] <= v) i++;
    while (j < y.length && y[j] <= v) j++;
    d = Math.max(d, Math.abs(i / x.length - j / y.length));
  }
  return d;
}

/** Total variation distance between the two tables' counter shares. */
function counterMixDistance(ref: CountTable, cur: CountTable): number {
  const share = (t: CountTable) => {
    const m = new Map<string, number>();
    for (const id of t.counterId) m.set(id, (m.get(id) ?? 0) + 1);
    for (const [k, v] of m) m.set(k, v / t.length);
    return m;
  };
  const p = share(ref);
  const q = share(cur);
  let tv = 0;
  for (const k of new Set([...p.keys(), ...q.keys()])) tv += Math.abs((p.get(k) ?? 0) - (q.get(k) ?? 0));
  return tv / 2;
}
