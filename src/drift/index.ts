/** Drift, data quality, performance and the combined retraining assessment, plus its report. Pure functions. */
export {
  driftConfigSchema,
  resolveDriftConfig,
  DEFAULT_DRIFT_CONFIG,
  type DriftConfig,
  type DriftConfigInput,
} from './config';
export { assessDataDrift, analyseDataDrift, type DataDriftResult, type FeatureTreatment } from './data-drift';
export type { SignalResult, SignalEffect, SignalName, SignalDistribution } from './signals';
export type { CalendarMatch, CalendarPolicy } from './calendar-match';
export {
  assessDataQuality,
  type DataQualityResult,
  type QualityFinding,
  type QualityStatus,
  type BrokenRun,
} from './data-quality';
export { assessPerformance, type PerformanceInput, type PerformanceResult } from './performance';
export {
  combineAssessment,
  CONFIDENCE_METHOD,
  type Assessment,
  type AssessmentSignal,
  type CombineInput,
  type Gate,
  type Severity,
  type Strength,
} from './assessment';
export {
  buildDriftReport,
  renderDriftReportJson,
  summariseWindow,
  type DriftReport,
  type WindowSummary,
} from './report';
export { renderDriftReportHtml } from './report-html';
export { runDriftCheck, type DriftCheck } from './run-drift-check';
export { windowGapWarning, MAX_WINDOW_GAP_DAYS } from './window-gap';
export {
  decodeReferenceSummary,
  encodeReferenceSummary,
  summaryFits,
  type ReferenceSummary,
} from './reference-summary';
