import type { CountTable } from '../core/counts';
import { HOUR_MS } from '../core/time';
import type { Assessment } from './assessment';
import type { DriftConfig } from './config';
import type { DataDriftResult } from './data-drift';
import type { DataQualityResult } from './data-quality';
import type { PerformanceResult } from './performance';
import type { SignalDistribution } from './signals';

/**
 * Everything a person needs to read one run's drift check, as JSON; the HTML
 * report renders exactly this. Carries the chart data, so it is stored as an
 * artifact and never passed through workflow payloads.
 */
export interface DriftReport {
  kind: 'bike-retrain-drift-report';
  version: 1;
  generatedAt: string;
  title: string;
  reference: WindowSummary;
  current: WindowSummary;
  assessment: Assessment;
  drift: DataDriftResult;
  quality: DataQualityResult;
  performance: PerformanceResult | null;
  distributions: SignalDistribution[];
  config: DriftConfig;
}

export interface WindowSummary {
  rows: number;
  counters: number;
  fromMs: number;
  /** Exclusive: the last hour's end. */
  toMs: number;
}

export function summariseWindow(t: CountTable): WindowSummary {
  let from = Infinity;
  let to = -Infinity;
  const ids = new Set<string>();
  let prev: string | undefined;
  for (let i = 0; i < t.length; i++) {
    const ts = t.timestampMs[i];
    if (ts < from) from = ts;
    if (ts > to) to = ts;
    if (t.counterId[i] !== prev) ids.add((prev = t.counterId[i]));
  }
  return { rows: t.length, counters: ids.size, fromMs: t.length ? from : NaN, toMs: t.length ? to + HOUR_MS : NaN };
}

export function buildDriftReport(parts: {
  reference: CountTable;
  current: CountTable;
  assessment: Assessment;
  drift: DataDriftResult;
  quality: DataQualityResult;
  performance?: PerformanceResult | null;
  distributions: SignalDistribution[];
  config: DriftConfig;
  generatedAt?: Date;
  title?: string;
}): DriftReport {
  return {
    kind: 'bike-retrain-drift-report',
    version: 1,
    generatedAt: (parts.generatedAt ?? new Date()).toISOString(),
    title: parts.title ?? 'Drift check',
    reference: summariseWindow(parts.reference),
    current: summariseWindow(parts.current),
    assessment: parts.assessment,
    drift: parts.drift,
    quality: parts.quality,
    performance: parts.performance ?? null,
    distributions: parts.distributions,
    config: parts.config,
  };
}

/** The JSON twin of the HTML report. */
export function renderDriftReportJson(report: DriftReport): string {
  return JSON.stringify(report, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v), 2);
}
