import type { CountTable } from '../core/counts';
import { ModelArtifactError } from '../core/errors';
import type { FeatureMatrix } from './feature-matrix';
import { DAY_MS, HOUR_MS, utcDay } from '../core/time';
import { ParisCalendar, parisOffsetMs } from './paris-time';

/**
 * The one feature pipeline: training, prediction, evaluation and drift all
 * build features here, so a model never sees features made another way.
 *
 * Bump the version whenever a feature's meaning, order or encoding changes:
 * models record it and refuse to score data built by another version.
 */
export const FEATURE_PIPELINE_VERSION = 'paris-hourly-v1';

export const FEATURE_NAMES = [
  'hour',
  'weekday',
  'month',
  'day_of_month',
  'day_of_year',
  'is_weekend',
  'is_holiday',
  'counter',
  'lat',
  'lon',
] as const;

export type FeatureName = (typeof FEATURE_NAMES)[number];

const FEATURE_KINDS: readonly ('numeric' | 'categorical')[] = FEATURE_NAMES.map((n) =>
  n === 'counter' ? 'categorical' : 'numeric',
);

/**
 * What the pipeline learned from the training rows, stored inside model
 * artifacts (JSON). Counters are coded by their index in `counters`;
 * a counter training never saw gets `unseenCounterCode` (= counters.length),
 * a code of its own, so it is never mistaken for a known counter; the model
 * then leans on lat/lon for it, and buildFeatures reports it.
 */
export interface FeatureSpec {
  version: string;
  /** Counter vocabulary from training, sorted (stable whatever the row order). */
  counters: string[];
  /** Code given to counters absent from `counters`; the categorical has counters.length + 1 levels. */
  unseenCounterCode: number;
  timeZone: 'Europe/Paris';
  featureNames: string[];
}

export interface BuiltFeatures {
  X: FeatureMatrix;
  /** Hourly counts (the target), a copy of the table's column. */
  y: Float64Array;
  /** Counters not in the spec's vocabulary, with how many rows each had: reported, never silently remapped. */
  unseenCounters: { counterId: string; rows: number }[];
}

/**
 * The calendar position within the year: a model without them cannot tell a
 * March of last year from this March, so recent rows (weighted, see the run
 * config's `training` section) set the level of the coming weeks instead of
 * last year's same dates.
 */
export const SEASONAL_FEATURES: readonly FeatureName[] = ['month', 'day_of_month', 'day_of_year'];

export function fitFeatureSpec(train: CountTable, options: { omit?: readonly FeatureName[] } = {}): FeatureSpec {
  const ids = new Set<string>();
  let prev: string | undefined;
  for (let i = 0; i < train.length; i++) {
    const id = train.counterId[i];
    if (id !== prev) {
      ids.add(id);
      prev = id;
    }
  }
  const counters = [...ids].sort();
  return {
    version: FEATURE_PIPELINE_VERSION,
    counters,
    unseenCounterCode: counters.length,
    timeZone: 'Europe/Paris',
    // A subset keeps the pipeline's order; models saved before subsets existed name every feature.
    featureNames: FEATURE_NAMES.filter((n) => !options.omit?.includes(n)),
  };
}

const codeMaps = new WeakMap<FeatureSpec, Map<string, number>>();
function counterCodes(spec: FeatureSpec): Map<string, number> {
  let m = codeMaps.get(spec);
  if (!m) {
    m = new Map(spec.counters.map((c, i) => [c, i]));
    codeMaps.set(spec, m);
  }
  return m;
}

export function assertPipelineVersion(spec: FeatureSpec): void {
  if (!spec || spec.version !== FEATURE_PIPELINE_VERSION)
    throw new ModelArtifactError(
      `feature spec was made by feature pipeline ${String(spec?.version)}, this code runs ${FEATURE_PIPELINE_VERSION}: retrain the model or run the matching version`,
    );
  if (!Array.isArray(spec.counters)) throw new ModelArtifactError('feature spec has no counter vocabulary');
  const unknown = (spec.featureNames ?? []).filter((n) => !(FEATURE_NAMES as readonly string[]).includes(n));
  if (unknown.length) throw new ModelArtifactError(`feature spec names unknown features: ${unknown.join(', ')}`);
}

export function buildFeatures(t: CountTable, spec: FeatureSpec): BuiltFeatures {
  assertPipelineVersion(spec);
  const n = t.length;
  const cols = FEATURE_NAMES.map(() => new Float32Array(n));
  const [hour, weekday, month, dom, doy, weekend, holiday, counter, lat, lon] = cols;
  const codes = counterCodes(spec);
  const unseenCode = spec.counters.length;
  const unseen = new Map<string, number>();
  const cal = new ParisCalendar();

  // The offset only changes twice a year: reuse it while the instant stays in
  // the same UTC day, the clocks changing at 01:00 UTC on a Sunday included.
  let cachedUtcDay = NaN;
  let offsetAtDayStart = 0;
  let offsetAtDayEnd = 0;
  let prevId: string | undefined;
  let prevCode = 0;

  for (let i = 0; i < n; i++) {
    const ts = t.timestampMs[i];
    const day = utcDay(ts);
    if (day !== cachedUtcDay) {
      cachedUtcDay = day;
      offsetAtDayStart = parisOffsetMs(day * DAY_MS);
      offsetAtDayEnd = parisOffsetMs(day * DAY_MS + DAY_MS - 1);
    }
    const offset = offsetAtDayStart === offsetAtDayEnd ? offsetAtDayStart : parisOffsetMs(ts);
    const local = ts + offset;
    const dayNo = Math.floor(local / DAY_MS);
    const d = cal.day(dayNo);
    hour[i] = Math.floor((local - dayNo * DAY_MS) / HOUR_MS);
    weekday[i] = d.weekday;
    month[i] = d.month;
    dom[i] = d.dayOfMonth;
    doy[i] = d.dayOfYear;
    weekend[i] = d.isWeekend ? 1 : 0;
    holiday[i] = d.isHoliday ? 1 : 0;

    const id = t.counterId[i];
    if (id !== prevId) {
      const c = codes.get(id);
      prevId = id;
      prevCode = c === undefined ? unseenCode : c;
    }
    counter[i] = prevCode;
    if (prevCode === unseenCode) unseen.set(id, (unseen.get(id) ?? 0) + 1);
    lat[i] = t.lat[i];
    lon[i] = t.lon[i];
  }

  const names = spec.featureNames ?? FEATURE_NAMES;
  const keep = FEATURE_NAMES.map((name) => names.includes(name));
  return {
    X: {
      nRows: n,
      names: FEATURE_NAMES.filter((_, k) => keep[k]),
      kinds: FEATURE_KINDS.filter((_, k) => keep[k]),
      columns: cols.filter((_, k) => keep[k]),
    },
    y: Float64Array.from(t.count),
    unseenCounters: [...unseen]
      .map(([counterId, rows]) => ({ counterId, rows }))
      .sort((a, b) => a.counterId.localeCompare(b.counterId)),
  };
}
