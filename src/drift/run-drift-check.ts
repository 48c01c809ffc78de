import type { CountTable } from '../core/counts';
import { combineAssessment, type Assessment, type CombineInput } from './assessment';
import { DEFAULT_DRIFT_CONFIG, type DriftConfig } from './config';
import { analyseDataDrift, type DataDriftResult } from './data-drift';
import { assessDataQualityWithSummary, type DataQualityResult } from './data-quality';
import { assessPerformance, type PerformanceInput, type PerformanceResult } from './performance';
import type { ReferenceSummary } from './reference-summary';
import { buildDriftReport, type DriftReport } from './report';

/**
 * The whole check in one call, report included: what the weekly run's
 * detectDrift activity, the `drift` command and the benchmark run. Only the
 * assessment's summary travels back to the workflow; the report is written
 * as an artifact.
 */
export interface DriftCheck {
  drift: DataDriftResult;
  quality: DataQualityResult;
  performance: PerformanceResult | null;
  assessment: Assessment;
  report: DriftReport;
  /** What the check derived from the reference alone: the given summary, or the one computed (to keep). */
  referenceSummary: ReferenceSummary;
}

export function runDriftCheck(options: {
  reference: CountTable;
  current: CountTable;
  performance?: PerformanceInput;
  gates?: CombineInput['gates'];
  config?: DriftConfig;
  title?: string;
  generatedAt?: Date;
  /** The reference's summary from an earlier check (a cache): used when it fits, recomputed otherwise. */
  referenceSummary?: ReferenceSummary | null;
}): DriftCheck {
  const config = options.config ?? DEFAULT_DRIFT_CONFIG;
  const { result: drift, distributions } = analyseDataDrift(options.reference, options.current, config);
  const { result: quality, summary: referenceSummary } = assessDataQualityWithSummary(
    options.current,
    options.reference,
    config,
    options.referenceSummary,
  );
  const performance = options.performance ? assessPerformance(options.performance, config) : null;
  const assessment = combineAssessment({ drift, quality, performance, gates: options.gates }, config);
  const report = buildDriftReport({
    reference: options.reference,
    current: options.current,
    assessment,
    drift,
    quality,
    performance,
    distributions,
    config,
    generatedAt: options.generatedAt,
    title: options.title,
  });
  return { drift, quality, performance, assessment, report, referenceSummary };
}
