import type { AuditRow, ModelMetrics } from '../audit/audit-row';
import type { RunConfig } from '../config/run-config';

/**
 * Arguments and results of the weekly run's activities. Data travels by
 * reference: URIs and small summaries only, never rows or model bytes
 * (a test checks that no recorded payload exceeds 64 KB).
 */

/** Identifies one run; every artifact and the audit row a run writes are keyed by it. */
export interface RunKey {
  workflowId: string;
  runId: string;
}

export interface MonitorInput {
  /** Fine-tune whatever drift and champion metrics say. */
  forceFineTune?: boolean;
  /** Marks the run (and any model it promotes) as a test. */
  testMode?: boolean;
  /** The instant the run looks back from (ISO-8601); default: the run's start time. */
  asOf?: string;
  /** Per-run threshold overrides, any subset of the run config. */
  overrides?: unknown;
  /** Set by the Schedule's action; manual triggers leave it out. */
  triggerSource?: 'schedule' | 'manual';
}

export interface ResolvedRun {
  config: RunConfig;
  asOfMs: number;
  forced: boolean;
  testMode: boolean;
  triggerSource: 'schedule' | 'manual';
}

export interface DriftResult {
  /** null when there were too few current rows to judge. */
  driftDetected: boolean | null;
  driftShare: number | null;
  driftedFeatures: string[];
  features: {
    name: string;
    effect?: string;
    statistic: number;
    threshold: number;
    pAdjusted?: number;
    drifted: boolean;
  }[];
  referenceRows: number;
  currentRows: number;
  note: string;
  reportUri: string | null;
  reportJsonUri?: string;
  /** The combined assessment (absent in runs recorded before it existed). */
  assessment?: DriftAssessmentSummary;
}

export interface DriftAssessmentSummary {
  triggered: boolean;
  severity: string;
  /** A documented heuristic, not a probability (see the report). */
  confidence: number;
  reasons: string[];
  /** Gates that stop a fine-tune, e.g. 'data-quality'. */
  blockedBy: string[];
  qualityStatus: string;
  qualityCritical: boolean;
  performance: { rmseChange: number; recentRmse: number; referenceRmse: number } | null;
}

export interface ChampionValidation {
  championVersion: number;
  modelUri: string;
  metrics: ModelMetrics;
  fromMs: number;
  toMs: number;
}

export interface RecentDataRef {
  uri: string;
  rows: number;
  counters: number;
  fromMs: number;
  toMs: number;
}

export interface ChallengerRef {
  modelUri: string;
  modelType: string;
  testCurrentUri: string;
  testCurrentRows: number;
  holdoutDays: number;
  trainRows: number;
  trainSeconds: number;
  hyperparameters: Record<string, unknown>;
}

/** Challenger vs champion on the same rows of one test set. */
export interface SetComparison {
  /** RMSE(challenger) ÷ RMSE(champion): below 1, the challenger is better. */
  rmseRatio: number;
  /** Paired block bootstrap interval of the ratio (blocks = counter × day). */
  lo: number;
  hi: number;
  confidence: number;
  resamples: number;
  blocks: number;
  /** Wilcoxon signed-rank on absolute errors, secondary evidence: z < 0 ⇒ challenger errors smaller. */
  wilcoxonZ: number;
  wilcoxonP: number;
}

export interface DoubleEvaluation {
  champion: { baseline: ModelMetrics; current: ModelMetrics };
  challenger: { baseline: ModelMetrics; current: ModelMetrics };
  /** Absent in runs recorded before the statistical comparison existed. */
  comparison?: { baseline: SetComparison; current: SetComparison };
}

export interface PromotionRequest {
  run: RunKey;
  challenger: ChallengerRef;
  expectedChampion: number;
  evaluation: DoubleEvaluation;
  testMode: boolean;
}

export interface PromotionResult {
  version: number;
  previousChampion: number | null;
  changed: boolean;
}

export interface StepProgress {
  step: string;
  detail?: string;
}

export type { AuditRow };
