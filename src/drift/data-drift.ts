import type { CountTable } from '../core/counts';
import { FEATURE_PIPELINE_VERSION } from '../features/pipeline';
import { benjaminiHochberg, weightedSample } from '../stats';
import { matchCalendar, type CalendarMatch } from './calendar-match';
import { DEFAULT_DRIFT_CONFIG, type DriftConfig } from './config';
import { featureColumn, prepareTables } from './prepared-tables';
import { categoricalSignal, countSignal, effect, type SignalDistribution, type SignalResult } from './signals';

/**
 * Data drift between the reference (the training baseline) and the current
 * window, on the feature pipeline's own features.
 *
 * Signals, not columns: counter id, latitude and longitude are one signal
 * (the counter mix); weekday and is_weekend one (the weekly profile). Hour,
 * weekday and counter are compared as where and when the bikes were counted
 * (rows weighted by their count): their row distribution is fixed by the
 * hourly grid and always matches, so only the count-weighted one can show a
 * change in the world. Month, day of month and day of year are the window's
 * position in the year: left out, with seasonality handled by matching the
 * reference's calendar (see calendar-match.ts).
 */
export interface FeatureTreatment {
  feature: string;
  treatment: 'compared' | 'in-signal' | 'left-out';
  signal?: string;
  reason: string;
}

export interface DataDriftResult {
  /** False when the current window has fewer rows than the drift gate needs; statistics are then indicative only. */
  assessed: boolean;
  note: string;
  referenceRows: number;
  currentRows: number;
  featurePipelineVersion: string;
  calendar: CalendarMatch;
  signals: SignalResult[];
  featureTreatment: FeatureTreatment[];
  driftedSignals: string[];
  /** Pipeline features (and the target) whose signal drifted. */
  driftedFeatures: string[];
  /** Drifted signals / compared signals: the measured share. */
  share: number;
  datasetDrift: boolean;
  counterMix: { jsd: number; newCounterShare: number; newCounters: number; newCounterIds: string[] };
  thresholds: {
    alpha: number;
    datasetDriftShare: number;
    ksThreshold: number;
    wassersteinThreshold: number;
    jsdThreshold: number;
    counterJsdThreshold: number;
    newCounterShare: number;
    minDriftRows: number;
  };
}

const HOURS = Array.from({ length: 24 }, (_, h) => `${String(h).padStart(2, '0')}h`);
const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const MAX_LISTED_COUNTERS = 20;
const MAX_CHART_COUNTERS = 15;

export function assessDataDrift(
  reference: CountTable,
  current: CountTable,
  config: DriftConfig = DEFAULT_DRIFT_CONFIG,
): DataDriftResult {
  return analyseDataDrift(reference, current, config).result;
}

/** The result plus the chart data for the report (kept apart: the result travels in workflow payloads). */
export function analyseDataDrift(
  reference: CountTable,
  current: CountTable,
  config: DriftConfig = DEFAULT_DRIFT_CONFIG,
): { result: DataDriftResult; distributions: SignalDistribution[] } {
  if (reference.length === 0) throw new RangeError('drift needs a non-empty reference');
  if (current.length === 0) throw new RangeError('drift needs a non-empty current window');
  const p = prepareTables(reference, current);
  const cal = (b: typeof p.ref) => ({
    dayOfYear: featureColumn(b, 'day_of_year'),
    weekday: featureColumn(b, 'weekday'),
    hour: featureColumn(b, 'hour'),
  });
  const { match, referenceWeights } = matchCalendar(cal(p.ref), cal(p.cur), config);
  const rw = (i: number) => (referenceWeights ? referenceWeights[i] : 1);

  const pending: ReturnType<typeof countSignal>[] = [];
  pending.push(
    countSignal(weightedSample(reference.count, referenceWeights ?? undefined), weightedSample(current.count), config),
  );

  // Count-weighted profiles share one pass over each table.
  const refHour = new Float64Array(24);
  const refDay = new Float64Array(7);
  const refCounter = new Float64Array(p.spec.counters.length + 1);
  let refW = 0;
  let refW2 = 0;
  {
    const hour = featureColumn(p.ref, 'hour');
    const day = featureColumn(p.ref, 'weekday');
    const ctr = featureColumn(p.ref, 'counter');
    for (let i = 0; i < reference.length; i++) {
      const w = rw(i) * reference.count[i];
      if (w === 0) continue;
      refHour[hour[i]] += w;
      refDay[day[i]] += w;
      refCounter[ctr[i]] += w;
      refW += w;
      refW2 += w * w;
    }
  }
  const curHour = new Float64Array(24);
  const curDay = new Float64Array(7);
  const curCounter = new Float64Array(p.spec.counters.length + 1);
  let curW = 0;
  let curW2 = 0;
  {
    const hour = featureColumn(p.cur, 'hour');
    const day = featureColumn(p.cur, 'weekday');
    const ctr = featureColumn(p.cur, 'counter');
    for (let i = 0; i < current.length; i++) {
      const w = current.count[i];
      if (w === 0) continue;
      curHour[hour[i]] += w;
      curDay[day[i]] += w;
      curCounter[ctr[i]] += w;
      curW += w;
      curW2 += w * w;
    }
  }
  const sizes = { referenceN: refW2 > 0 ? (refW * refW) / refW2 : 0, currentN: curW2 > 0 ? (curW * curW) / curW2 : 0 };
  const trafficKnown = refW > 0 && curW > 0;

  const calendarCompared = match.policy !== 'exclude' && trafficKnown;
  if (calendarCompared) {
    pending.push(
      categoricalSignal(
        'hour',
        'traffic by hour of day',
        ['hour'],
        HOURS,
        refHour,
        curHour,
        sizes,
        config.column.jsdThreshold,
      ),
    );
    pending.push(
      categoricalSignal(
        'weekday',
        'traffic by weekday',
        ['weekday', 'is_weekend'],
        WEEKDAYS,
        refDay,
        curDay,
        sizes,
        config.column.jsdThreshold,
      ),
    );
  }

  // Counter mix: known counters plus one bucket for all unseen ones.
  const newRows = p.cur.unseenCounters.reduce((s, c) => s + c.rows, 0);
  const newCounterShare = newRows / current.length;
  let counterJsd = 0;
  // One counter on both sides (an aggregate series): there is no mix to compare.
  const counterMixExists = p.spec.counters.length > 1 || p.cur.unseenCounters.length > 0;
  if (trafficKnown && counterMixExists) {
    const labels = [...p.spec.counters, 'new counters'];
    const c = categoricalSignal(
      'counter',
      'traffic by counter (id, lat, lon)',
      ['counter', 'lat', 'lon'],
      labels,
      refCounter,
      curCounter,
      sizes,
      config.counterMix.jsdThreshold,
    );
    c.signal.statistics.new_counter_share = newCounterShare;
    c.signal.effects.push(effect('new_counter_share', newCounterShare, config.counterMix.newCounterShare));
    counterJsd = c.signal.statistics.jsd;
    pending.push({ signal: c.signal, distribution: topCounters(c.distribution) });
  }

  const bh = benjaminiHochberg(
    pending.map((x) => x.signal.pValue),
    config.alpha,
  );
  const signals: SignalResult[] = pending.map(({ signal }, k) => {
    const significant = bh.rejected[k];
    // New counters need no test: the model has never seen them, however few the rows.
    const newCountersMaterial = signal.effects.some((e) => e.name === 'new_counter_share' && e.reached);
    const large = signal.effects.some((e) => e.reached && e.name !== 'new_counter_share');
    const drifted = (significant && large) || newCountersMaterial;
    return {
      ...signal,
      pAdjusted: bh.adjusted[k],
      significant,
      drifted,
      summary: summarise(signal, significant, drifted),
    };
  });

  const driftedSignals = signals.filter((s) => s.drifted).map((s) => s.name);
  const driftedFeatures = signals.filter((s) => s.drifted).flatMap((s) => s.features);
  const share = signals.length ? driftedSignals.length / signals.length : 0;
  const assessed = current.length >= config.gates.minDriftRows;
  const result: DataDriftResult = {
    assessed,
    note: assessed
      ? `${driftedSignals.length}/${signals.length} signals drifted (share ${share.toFixed(2)}, dataset drift at ${config.datasetDriftShare})`
      : `only ${current.length} current rows (< ${config.gates.minDriftRows}): drift statistics are indicative, not a signal`,
    referenceRows: reference.length,
    currentRows: current.length,
    featurePipelineVersion: FEATURE_PIPELINE_VERSION,
    calendar: match,
    signals,
    featureTreatment: featureTreatment(match.policy, counterMixExists),
    driftedSignals,
    driftedFeatures,
    share,
    datasetDrift: assessed && share >= config.datasetDriftShare,
    counterMix: {
      jsd: counterJsd,
      newCounterShare,
      newCounters: p.cur.unseenCounters.length,
      newCounterIds: p.cur.unseenCounters.slice(0, MAX_LISTED_COUNTERS).map((c) => c.counterId),
    },
    thresholds: {
      alpha: config.alpha,
      datasetDriftShare: config.datasetDriftShare,
      ksThreshold: config.column.ksThreshold,
      wassersteinThreshold: config.column.wassersteinThreshold,
      jsdThreshold: config.column.jsdThreshold,
      counterJsdThreshold: config.counterMix.jsdThreshold,
      newCounterShare: config.counterMix.newCounterShare,
      minDriftRows: config.gates.minDriftRows,
    },
  };
  return { result, distributions: pending.map((x) => x.distribution) };
}

function summarise(
  s: Omit<SignalResult, 'pAdjusted' | 'significant' | 'drifted' | 'summary'>,
  significant: boolean,
  drifted: boolean,
): string {
  const eff = s.effects
    .map((e) => `${e.name} ${fmt(e.value)} (≥ ${e.threshold}${e.reached ? ' reached' : ''})`)
    .join(', ');
  const verdict = drifted ? 'drifted' : significant ? 'significant but small' : 'no significant change';
  return `${s.label}: ${verdict}; ${eff}`;
}

function fmt(v: number): string {
  return Math.abs(v) >= 100 ? v.toFixed(0) : v.toPrecision(3);
}

function featureTreatment(policy: CalendarMatch['policy'], counterMix: boolean): FeatureTreatment[] {
  const calendar = policy === 'exclude';
  const posReason =
    'position of the window in the year: a week against a longer reference always differs; seasonality handled by the calendar match';
  return [
    { feature: 'count', treatment: 'compared', signal: 'count', reason: 'the target' },
    calendar
      ? { feature: 'hour', treatment: 'left-out', reason: 'calendar left out by configuration' }
      : { feature: 'hour', treatment: 'compared', signal: 'hour', reason: 'traffic share by hour of day' },
    calendar
      ? { feature: 'weekday', treatment: 'left-out', reason: 'calendar left out by configuration' }
      : { feature: 'weekday', treatment: 'compared', signal: 'weekday', reason: 'traffic share by weekday' },
    calendar
      ? { feature: 'is_weekend', treatment: 'left-out', reason: 'calendar left out by configuration' }
      : { feature: 'is_weekend', treatment: 'in-signal', signal: 'weekday', reason: 'a function of weekday' },
    { feature: 'month', treatment: 'left-out', reason: posReason },
    { feature: 'day_of_month', treatment: 'left-out', reason: posReason },
    { feature: 'day_of_year', treatment: 'left-out', reason: posReason },
    {
      feature: 'is_holiday',
      treatment: 'left-out',
      reason:
        'rare by nature (0 or 1 day a week); holidays are the same dates in a seasonal match and show in the count and profiles',
    },
    ...(counterMix
      ? [
          {
            feature: 'counter',
            treatment: 'compared' as const,
            signal: 'counter',
            reason: 'traffic share by counter, plus the share of counters never seen',
          },
          {
            feature: 'lat',
            treatment: 'in-signal' as const,
            signal: 'counter',
            reason: 'fixed per counter: the same signal as the counter id',
          },
          {
            feature: 'lon',
            treatment: 'in-signal' as const,
            signal: 'counter',
            reason: 'fixed per counter: the same signal as the counter id',
          },
        ]
      : ['counter', 'lat', 'lon'].map((feature) => ({
          feature,
          treatment: 'left-out' as const,
          reason: 'a single counter on both sides: no mix to compare',
        }))),
  ];
}

/** The counters that matter most on either side, the rest summed, so the chart stays readable at 100 counters. */
function topCounters(d: SignalDistribution): SignalDistribution {
  const n = d.labels.length - 1; // last = new counters
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => Math.max(d.reference[b], d.current[b]) - Math.max(d.reference[a], d.current[a]),
  );
  const keep = order.slice(0, MAX_CHART_COUNTERS).sort((a, b) => a - b);
  const rest = order.slice(MAX_CHART_COUNTERS);
  const sum = (arr: number[], idx: number[]) => Math.round(idx.reduce((s, i) => s + arr[i], 0) * 1e6) / 1e6;
  const labels = keep.map((i) => d.labels[i]);
  const reference = keep.map((i) => d.reference[i]);
  const current = keep.map((i) => d.current[i]);
  if (rest.length) {
    labels.push(`${rest.length} others`);
    reference.push(sum(d.reference, rest));
    current.push(sum(d.current, rest));
  }
  labels.push(d.labels[n]);
  reference.push(d.reference[n]);
  current.push(d.current[n]);
  return { name: d.name, labels, reference, current };
}
