import { describe, expect, it } from 'vitest';
import { countTableFromRows, takeRows, type CountRow } from '../../../src/core/counts';
import { HOUR_MS } from '../../../src/core/time';
import {
  assessDataDrift,
  assessDataQuality,
  assessPerformance,
  renderDriftReportHtml,
  renderDriftReportJson,
  resolveDriftConfig,
  runDriftCheck,
} from '../../../src/drift';
import { naiveChampionPerformance, simulatedWeek } from './scenario-helpers';

describe('calendar policy', () => {
  const { reference, current } = simulatedWeek('stable', 11);
  it('auto picks the seasonal match when the reference covers those weeks, and says why', () => {
    const r = assessDataDrift(reference, current);
    expect(r.calendar).toMatchObject({ requested: 'auto', policy: 'seasonal-match', coveredDayShare: 1 });
    expect(r.calendar.reason).toMatch(/same weeks of the year/);
    expect(r.featureTreatment.find((f) => f.feature === 'month')?.treatment).toBe('left-out');
  });
  it('falls back to the weekday × hour mix when the reference lacks those weeks', () => {
    const early = takeRows(
      reference,
      Array.from({ length: reference.length }, (_, i) => i).filter(
        (i) => reference.timestampMs[i] < Date.UTC(2023, 0, 20),
      ),
    );
    const r = assessDataDrift(early, current);
    expect(r.calendar.policy).toBe('weekday-hour-mix');
    expect(r.calendar.reason).toMatch(/no seasonal match/);
  });
  it('exclude compares the count and the counter mix only', () => {
    const r = assessDataDrift(reference, current, resolveDriftConfig({ calendar: { policy: 'exclude' } }));
    expect(r.signals.map((s) => s.name)).toEqual(['count', 'counter']);
  });
  it('reports the measured share, the thresholds and a small JSON result', () => {
    const r = assessDataDrift(reference, current);
    expect(r.share).toBe(r.driftedSignals.length / r.signals.length);
    expect(r.thresholds.ksThreshold).toBe(0.1);
    expect(JSON.stringify(r).length).toBeLessThan(8_000);
  });
});

describe('data quality on constructed rows', () => {
  // Two counters, 3 weeks of reference with a daily shape, then a week where B reads zero for 30 h and A repeats 77 for 13 h.
  const start = Date.UTC(2024, 0, 1);
  const rows = (from: number, hours: number, f: (id: string, h: number) => number): CountRow[] =>
    ['A', 'B'].flatMap((id, k) =>
      Array.from({ length: hours }, (_, h) => ({
        counterId: id,
        counterName: id,
        siteId: id,
        timestampMs: from + h * HOUR_MS,
        count: f(id, h),
        lat: 48.8 + k / 100,
        lon: 2.3,
      })),
    );
  const shape = (h: number) => 20 + 15 * Math.sin((2 * Math.PI * (h % 24)) / 24) + (h % 7);
  const reference = countTableFromRows(rows(start, 21 * 24, (_, h) => Math.round(shape(h))));
  const curStart = start + 21 * 24 * HOUR_MS;
  const current = countTableFromRows(
    rows(curStart, 7 * 24, (id, h) =>
      id === 'B' && h >= 10 && h < 40 ? 0 : id === 'A' && h >= 50 && h < 63 ? 77 : Math.round(shape(h)),
    ).filter((r, i) => !(r.counterId === 'A' && i < 48 && i % 24 === 5)), // A misses 2 hours
  );
  const q = assessDataQuality(current, reference);
  it('finds the zero run and the stuck run with their times', () => {
    expect(q.brokenRuns).toEqual([
      {
        counterId: 'A',
        kind: 'stuck',
        fromMs: curStart + 50 * HOUR_MS,
        toMs: curStart + 63 * HOUR_MS,
        hours: 13,
        value: 77,
      },
      {
        counterId: 'B',
        kind: 'zero',
        fromMs: curStart + 10 * HOUR_MS,
        toMs: curStart + 40 * HOUR_MS,
        hours: 30,
        value: 0,
      },
    ]);
    expect(q.brokenRowShare).toBeCloseTo(43 / current.length, 12);
    expect(q.status).toBe('CRITICAL'); // 43 of ~330 rows > 5 %
  });
  it('counts missing counter-hours', () => expect(q.missingHourShare).toBeCloseTo(2 / (2 * 168), 12));
});

describe('data quality: counts above the physical bound (maxHourlyCount)', () => {
  const { reference, current } = simulatedWeek('stable', 11);
  const poisoned = (values: [number, number][]) => {
    const t = { ...current, count: Float64Array.from(current.count) };
    for (const [i, v] of values) t.count[i] = v;
    return t;
  };

  it('a clean week has none', () => {
    const q = assessDataQuality(current, reference);
    expect(q.implausibleCountsTotal).toBe(0);
    expect(q.findings.map((f) => f.code)).not.toContain('implausible-counts');
    expect(q.thresholds.maxHourlyCount).toBe(10_000);
  });

  it('one row above it makes data quality CRITICAL, naming counter, hour (ISO) and value', () => {
    const i = 100;
    const q = assessDataQuality(poisoned([[i, 1e12]]), reference);
    expect(q.status).toBe('CRITICAL');
    expect(q.critical).toBe(true);
    const hour = new Date(current.timestampMs[i]).toISOString();
    expect(q.implausibleCounts).toEqual([{ counterId: current.counterId[i], hour, count: 1e12 }]);
    const f = q.findings.find((x) => x.code === 'implausible-counts')!;
    expect(f).toMatchObject({ severity: 'critical', value: 1, threshold: 10_000 });
    expect(f.message).toContain(`counter ${current.counterId[i]} at ${hour}: 1000000000000`);
  });

  it('names the first five in time order and counts the rest; 1e308 too', () => {
    const idx = [700, 10, 300, 20, 500, 40, 900];
    const q = assessDataQuality(poisoned(idx.map((i, k) => [i, k === 0 ? 1e308 : 20_000 + k])), reference);
    expect(q.implausibleCountsTotal).toBe(7);
    const f = q.findings.find((x) => x.code === 'implausible-counts')!;
    expect(f.message).toMatch(/^7 row\(s\) above maxHourlyCount 10000/);
    expect(f.message).toMatch(/; and 2 more$/);
    const sorted = [...idx].sort((a, b) => current.timestampMs[a] - current.timestampMs[b]);
    expect(q.implausibleCounts.map((r) => r.hour)).toEqual(
      sorted.map((i) => new Date(current.timestampMs[i]).toISOString()),
    );
    expect(q.implausibleCounts.find((r) => r.count === 1e308)).toBeDefined();
  });

  it('the bound is the config’s: a lower one flags ordinary peaks', () => {
    const max = Math.max(...current.count);
    const q = assessDataQuality(current, reference, resolveDriftConfig({ quality: { maxHourlyCount: max - 1 } }));
    expect(q.status).toBe('CRITICAL');
    expect(q.implausibleCountsTotal).toBeGreaterThan(0);
  });

  it('the assessment says retraining is blocked and why', () => {
    const check = runDriftCheck({ reference, current: poisoned([[42, 1e12]]) });
    expect(check.assessment.severity).toBe('CRITICAL');
    expect(check.assessment.reasons[0]).toMatch(
      /^data quality CRITICAL, retraining blocked: 1 row\(s\) above maxHourlyCount 10000 .*: 1000000000000/,
    );
  });
});

describe('performance', () => {
  it('flags a drop past +10 % RMSE and concept drift only with the interval above 1', () => {
    const n = 2400;
    const yTrue = Float64Array.from({ length: n }, (_, i) => 50 + 30 * Math.sin(i / 7));
    // The same pseudo-random error pattern scaled by s, so RMSE ratios are exactly s'/s.
    const noise = (s: number) =>
      Float64Array.from(
        { length: n },
        (_, i) => yTrue[i] + s * (((((Math.sin(i * 12.9898) * 43758.5453) % 1) + 1) % 1) - 0.5),
      );
    const reference = { yTrue, yPred: noise(10) };
    const same = assessPerformance({ recent: { yTrue, yPred: noise(10.5) }, reference });
    expect(same).toMatchObject({ assessed: true, performanceDrop: false, conceptDrift: false });
    const worse = assessPerformance({ recent: { yTrue, yPred: noise(14) }, reference });
    expect(worse.rmseChange).toBeCloseTo(0.4, 6);
    expect(worse.performanceDrop).toBe(true);
    expect(worse.conceptDrift).toBe(true);
    expect(worse.ratioInterval.lo).toBeGreaterThan(1);
    expect(worse.ratioInterval.blockSource).toBe('row-chunks');
    const few = assessPerformance({
      recent: { yTrue: yTrue.slice(0, 500), yPred: noise(14).slice(0, 500) },
      reference,
    });
    expect(few).toMatchObject({ assessed: false, performanceDrop: false, conceptDrift: false });
  });
});

describe('report', () => {
  it('renders HTML and JSON with the verdict first and every signal', () => {
    const { reference, current } = simulatedWeek('strike', 5);
    const c = runDriftCheck({ reference, current, performance: naiveChampionPerformance(reference, current) });
    const html = renderDriftReportHtml(c.report);
    expect(html.indexOf('id="verdict"')).toBeLessThan(html.indexOf('Data drift'));
    for (const s of c.drift.signals) expect(html).toContain(`id="signal-${s.name}"`);
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
    expect(html.length).toBeLessThan(2_000_000);
    const json = JSON.parse(renderDriftReportJson(c.report));
    expect(json.assessment.severity).toBe(c.assessment.severity);
    expect(json.distributions.map((d: { name: string }) => d.name)).toEqual(c.drift.signals.map((s) => s.name));
    // Workflow payloads: the assessment pieces stay a few KB.
    expect(JSON.stringify({ d: c.drift, q: c.quality, p: c.performance, a: c.assessment }).length).toBeLessThan(16_000);
  });
});
