import type { CountTable } from '../core/counts';
import { combineAssessment, type Assessment, type CombineInput } from './assessment';
import { DEFAULT_DRIFT_CONFIG, type DriftConfig } from './config';
import { analyseDataDrift, type DataDriftResult } from './data-drift';
import { assessDataQuality, type DataQualityResult } from './data-quality';
import { assessPerformance, type PerformanceInput, type PerformanceResult } from './performance';
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
}

export function runDriftCheck(options: {
  reference: CountTable;
  current: CountTable;
  performance?: PerformanceInput;
  gates?: CombineInput['gates'];
  config?: DriftConfig;
  title?: string;
  generatedAt?: Date;
}): DriftCheck {
  const config = options.config ?? DEFAULT_DRIFT_CONFIG;
  const { result: drift, distributions } = analyseDataDrift(options.reference, options.current, config);
  const quality = assessDataQuality(options.current, options.reference, config);
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
  return { drift, quality, performance, assessment, report };
}
