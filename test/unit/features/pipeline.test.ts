import { describe, expect, it } from 'vitest';
import { countTableFromRows, type CountRow } from '../../../src/core/counts';
import { ModelArtifactError } from '../../../src/core/errors';
import {
  buildFeatures,
  FEATURE_NAMES,
  FEATURE_PIPELINE_VERSION,
  fitFeatureSpec,
  SEASONAL_FEATURES,
} from '../../../src/features/pipeline';
import { euDstWindow, formatParisIso, parisOffsetMs } from '../../../src/features/paris-time';

const row = (counterId: string, iso: string, count = 1): CountRow => ({
  counterId,
  counterName: `name ${counterId}`,
  siteId: counterId.split('-')[0],
  timestampMs: Date.parse(iso),
  count,
  lat: 48.85,
  lon: 2.35,
});

function features(rows: CountRow[], trainRows = rows) {
  const spec = fitFeatureSpec(countTableFromRows(trainRows));
  const f = buildFeatures(countTableFromRows(rows), spec);
  const col = (name: (typeof FEATURE_NAMES)[number]) => Array.from(f.X.columns[FEATURE_NAMES.indexOf(name)]);
  return { spec, f, col };
}

describe('Europe/Paris local time', () => {
  it('switches at the last Sundays of March and October, 01:00 UTC', () => {
    expect(euDstWindow(2021)).toEqual({
      startMs: Date.parse('2021-03-28T01:00:00Z'),
      endMs: Date.parse('2021-10-31T01:00:00Z'),
    });
    expect(euDstWindow(2024)).toEqual({
      startMs: Date.parse('2024-03-31T01:00:00Z'),
      endMs: Date.parse('2024-10-27T01:00:00Z'),
    });
    expect(parisOffsetMs(Date.parse('2021-03-28T00:59:59Z'))).toBe(3_600_000);
    expect(parisOffsetMs(Date.parse('2021-03-28T01:00:00Z'))).toBe(7_200_000);
    expect(parisOffsetMs(Date.parse('2021-10-31T00:59:59Z'))).toBe(7_200_000);
    expect(parisOffsetMs(Date.parse('2021-10-31T01:00:00Z'))).toBe(3_600_000);
  });

  it('agrees with Intl for every hour of 2019-2026', () => {
    const fmt = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/Paris',
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
    });
    const rows: CountRow[] = [];
    const expected: { hour: number; day: number; month: number }[] = [];
    // Every 7th hour over 8 years hits every hour of the day and both switch nights of each year.
    for (let t = Date.parse('2019-01-01T00:00:00Z'); t < Date.parse('2027-01-01T00:00:00Z'); t += 7 * 3_600_000) {
      rows.push(row('c', new Date(t).toISOString()));
      const p = Object.fromEntries(fmt.formatToParts(new Date(t)).map((x) => [x.type, x.value]));
      expected.push({ hour: Number(p.hour), day: Number(p.day), month: Number(p.month) });
    }
    const { col } = features(rows);
    const hour = col('hour');
    const dom = col('day_of_month');
    const month = col('month');
    const bad = expected.findIndex((e, i) => e.hour !== hour[i] || e.day !== dom[i] || e.month !== month[i]);
    expect(bad).toBe(-1);
  });

  it('gets the switch nights right hour by hour', () => {
    // Spring forward 2021-03-28: local 01:00 is followed by 03:00.
    const spring = ['2021-03-28T00:00:00Z', '2021-03-28T01:00:00Z', '2021-03-28T02:00:00Z'].map((iso) => row('c', iso));
    expect(features(spring).col('hour')).toEqual([1, 3, 4]);
    // Fall back 2021-10-31: local 02:00 happens twice.
    const fall = ['2021-10-30T23:00:00Z', '2021-10-31T00:00:00Z', '2021-10-31T01:00:00Z', '2021-10-31T02:00:00Z'].map(
      (iso) => row('c', iso),
    );
    expect(features(fall).col('hour')).toEqual([1, 2, 2, 3]);
    // 23:00 UTC on a winter New Year's Eve is already the next local day and year.
    const nye = features([row('c', '2021-12-31T23:00:00Z')]);
    expect([
      nye.col('month')[0],
      nye.col('day_of_month')[0],
      nye.col('day_of_year')[0],
      nye.col('is_holiday')[0],
    ]).toEqual([1, 1, 1, 1]);
  });

  it('formats instants as the open-data export does', () => {
    expect(formatParisIso(Date.parse('2021-09-01T01:00:00Z'))).toBe('2021-09-01T03:00:00+02:00');
    expect(formatParisIso(Date.parse('2021-12-01T01:00:00Z'))).toBe('2021-12-01T02:00:00+01:00');
  });
});

describe('calendar features', () => {
  it('encodes weekday, weekend and holidays in local time', () => {
    const { col } = features([
      row('c', '2024-05-09T10:00:00Z'), // Ascension Thursday
      row('c', '2024-05-20T10:00:00Z'), // Whit Monday
      row('c', '2024-04-01T10:00:00Z'), // Easter Monday
      row('c', '2024-05-11T10:00:00Z'), // a Saturday
      row('c', '2024-05-13T10:00:00Z'), // an ordinary Monday
    ]);
    expect(col('weekday')).toEqual([3, 0, 0, 5, 0]);
    expect(col('is_holiday')).toEqual([1, 1, 1, 0, 0]);
    expect(col('is_weekend')).toEqual([0, 0, 0, 1, 0]);
    expect(col('day_of_year')).toEqual([130, 141, 92, 132, 134]);
  });

  it('marks 14 July from local midnight, not UTC midnight', () => {
    const { col } = features([
      row('c', '2023-07-13T21:00:00Z'),
      row('c', '2023-07-13T22:00:00Z'),
      row('c', '2023-07-14T21:59:00Z'),
      row('c', '2023-07-14T22:00:00Z'),
    ]);
    expect(col('is_holiday')).toEqual([0, 1, 1, 0]);
  });
});

describe('counter vocabulary', () => {
  it('codes counters by sorted training vocabulary and reports unseen counters with a reserved code', () => {
    const train = [
      row('b-2', '2024-01-01T00:00:00Z'),
      row('a-1', '2024-01-01T00:00:00Z'),
      row('b-2', '2024-01-01T01:00:00Z'),
    ];
    const spec = fitFeatureSpec(countTableFromRows(train));
    expect(spec.counters).toEqual(['a-1', 'b-2']);
    expect(spec.unseenCounterCode).toBe(2);
    const test = [
      row('a-1', '2024-02-01T00:00:00Z'),
      row('z-9', '2024-02-01T00:00:00Z'),
      row('z-9', '2024-02-01T01:00:00Z'),
      row('new-1', '2024-02-01T01:00:00Z'),
      row('b-2', '2024-02-01T01:00:00Z'),
    ];
    const f = buildFeatures(countTableFromRows(test), spec);
    expect(Array.from(f.X.columns[FEATURE_NAMES.indexOf('counter')])).toEqual([0, 2, 2, 2, 1]);
    expect(f.unseenCounters).toEqual([
      { counterId: 'new-1', rows: 1 },
      { counterId: 'z-9', rows: 2 },
    ]);
    expect(f.X.kinds[FEATURE_NAMES.indexOf('counter')]).toBe('categorical');
  });

  it('returns the target and lat/lon, and survives a JSON round trip of the spec', () => {
    const rows = [row('a-1', '2024-01-01T00:00:00Z', 7), row('a-1', '2024-01-01T01:00:00Z', 11)];
    const spec = JSON.parse(JSON.stringify(fitFeatureSpec(countTableFromRows(rows))));
    const f = buildFeatures(countTableFromRows(rows), spec);
    expect(Array.from(f.y)).toEqual([7, 11]);
    expect(f.X.nRows).toBe(2);
    expect(f.X.columns[FEATURE_NAMES.indexOf('lat')][0]).toBeCloseTo(48.85, 5);
    expect(f.unseenCounters).toEqual([]);
  });

  it('refuses a spec from another pipeline version', () => {
    const spec = {
      ...fitFeatureSpec(countTableFromRows([row('a', '2024-01-01T00:00:00Z')])),
      version: 'paris-hourly-v0',
    };
    expect(() => buildFeatures(countTableFromRows([row('a', '2024-01-01T00:00:00Z')]), spec)).toThrow(
      ModelArtifactError,
    );
    expect(() => buildFeatures(countTableFromRows([row('a', '2024-01-01T00:00:00Z')]), spec)).toThrow(
      /paris-hourly-v0.*paris-hourly-v1/,
    );
    expect(FEATURE_PIPELINE_VERSION).toBe('paris-hourly-v1');
  });
});

describe('feature subsets', () => {
  const table = countTableFromRows([
    {
      counterId: 'a',
      counterName: 'A',
      siteId: 's',
      timestampMs: Date.UTC(2026, 2, 1, 8),
      count: 5,
      lat: 48.8,
      lon: 2.3,
    },
    {
      counterId: 'b',
      counterName: 'B',
      siteId: 's',
      timestampMs: Date.UTC(2026, 6, 14, 17),
      count: 9,
      lat: 48.9,
      lon: 2.4,
    },
  ]);

  it('a spec without the seasonal features builds the other columns, in the pipeline order, with the same values', () => {
    const all = buildFeatures(table, fitFeatureSpec(table));
    const spec = fitFeatureSpec(table, { omit: SEASONAL_FEATURES });
    const some = buildFeatures(table, spec);
    expect(some.X.names).toEqual(FEATURE_NAMES.filter((n) => !SEASONAL_FEATURES.includes(n)));
    for (const name of some.X.names)
      expect(some.X.columns[some.X.names.indexOf(name)]).toEqual(all.X.columns[all.X.names.indexOf(name)]);
    expect(all.X.names).toEqual([...FEATURE_NAMES]);
  });

  it('refuses a spec naming a feature this pipeline does not build', () => {
    const spec = { ...fitFeatureSpec(table), featureNames: ['hour', 'tomorrow'] };
    expect(() => buildFeatures(table, spec)).toThrow(ModelArtifactError);
  });
});
