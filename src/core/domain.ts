/**
 * The domain vocabulary: what a weekly run takes, decides and records, shared
 * by the workflow, activities, storage, the client and the CLI. A leaf module
 * (it imports nothing of ours), so no layer has to reach into another for a type.
 *
 * Everything here travels in Temporal payloads or audit rows: URIs and small
 * summaries only, never rows or model bytes (a test checks that no recorded
 * payload exceeds 64 KB).
 */

/** Identifies one run; every artifact and the audit row a run writes are keyed by it. */
export interface RunKey {
  workflowId: string;
  runId: string;
}

export type TriggerSource = 'schedule' | 'manual';

/** The workflow's input (also what `temporal workflow start --input` takes). */
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
  triggerSource?: TriggerSource;
  /**
   * The task queue of the heavy steps (training, evaluation), so they run on workers sized for them
   * (`bike-retrain worker --queues heavy`). Default: the run's own task queue.
   */
  heavyTaskQueue?: string;
}

export type Decision =
  | 'deploy'
  | 'reject_regression'
  | 'skip_no_improvement'
  | 'skip_not_significant'
  /** A reviewer rejected the deploy, or nobody approved it in time. */
  | 'skip_not_approved'
  /** Trimming the rows a model had seen left test_current too small to judge on. */
  | 'skip_test_set_too_small'
  | 'not_triggered'
  /** Critical data quality (e.g. a count above maxHourlyCount) blocked a fine-tune the caller forced. */
  | 'blocked_data_quality'
  | 'failed'
  /** Written by `bike-retrain registry rollback`, not by a weekly run. */
  | 'rollback'
  /** Written by `bike-retrain data import --replace` when a file's counts replaced stored ones. */
  | 'data_replace';

export interface ModelMetrics {
  rmse: number;
  mae: number;
  r2: number;
  rows: number;
}

/** Both test sets' metrics of one model. */
export interface TestSetMetrics {
  baseline: ModelMetrics;
  current: ModelMetrics;
}

/** The champion of one run: resolved once at its start, used by every later step. */
export interface ChampionRef {
  version: number;
  modelUri: string;
  /** sha256 of the model artifact: what cached predictions are keyed by. */
  modelSha256: string;
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
  /**
   * The champion scored on the drift window, when that window is also the
   * validation window (one-champion-per-run; absent in older runs).
   */
  championValidation?: ChampionValidation;
}

/** A slice of a count-table artifact a model trained on: the rows of `uri` with fromMs <= timestamp < toMs. */
export interface TrainingSource {
  uri: string;
  fromMs: number;
  toMs: number;
  rows: number;
}

/** What a model trained on, as far as it is known (older registry entries predate the record). */
export type TrainingLineage = { sources: TrainingSource[] } | { unknown: string };

/** Rows a model trained on that are also rows of a test set, counted by joining on (counter id, timestamp). */
export interface TestSetOverlap {
  /** null: not computable (the model's training rows are unknown). */
  testBaseline: number | null;
  testCurrent: number | null;
}

/** How the run kept its test sets unseen: both models' lineage and overlaps, and what was trimmed, with why. */
export interface TestSetIntegrity {
  champion: { lineage: TrainingLineage; overlap: TestSetOverlap };
  challenger: {
    lineage: TrainingLineage;
    overlap: TestSetOverlap;
    /** test_baseline rows the challenger would have trained on had the recent window not been trimmed. */
    untrimmedTestBaselineOverlap: number;
  };
  /** One line per trim, e.g. why recent rows were left out of training. */
  trims: string[];
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
  /**
   * sha256 of test_current's bytes as written: evaluateDouble in the worker that wrote it uses its kept copy
   * (absent in runs recorded before; then, as in any other worker, it reads the artifact).
   */
  testCurrentSha256?: string;
  testCurrentRows: number;
  holdoutDays: number;
  trainRows: number;
  trainSeconds: number;
  hyperparameters: Record<string, unknown>;
  /** Whole days left in test_current after trimming (absent in runs recorded before test sets were kept unseen). */
  testCurrentDays?: number;
  /** Absent in runs recorded before test sets were kept unseen. */
  integrity?: TestSetIntegrity;
  /** The per-counter level the challenger measured (absent: none measured, or runs recorded before levels). */
  level?: LevelSummary;
}

/** The spread of a model's per-counter level factors (actual ÷ predicted over its last training days). */
export interface LevelSummary {
  fromMs: number;
  toMs: number;
  counters: number;
  min: number;
  median: number;
  max: number;
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
  champion: TestSetMetrics;
  challenger: TestSetMetrics;
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

/** A person's answer to a deploy waiting for approval (`bike-retrain approve|reject`). */
export interface ApprovalRequest {
  approved: boolean;
  /** Who decides: recorded in the audit row. */
  by: string;
  reason?: string;
}

export type ApprovalRecord =
  { approved: boolean; by: string; reason: string | null; at: string } | { timedOut: true; afterMs: number } | null;

/** What the trigger rule decided, and why. */
export interface TriggerDecision {
  fineTune: boolean;
  /** 'forced' | 'every_run' | 'champion_rmse_above_max' | 'drift_and_degraded_r2' | 'assessment_…' | null */
  rule: string | null;
  reason: string;
}

/** A run's state, answered by the `status` query while it is open. */
export interface MonitorStatus {
  step: string;
  startedAt: string;
  asOf: string | null;
  forced: boolean;
  /** The champion this run judges (runs recorded before it was resolved once: absent). */
  champion?: ChampionRef | null;
  drift: DriftResult | null;
  championValidation: ChampionValidation | null;
  trigger: TriggerDecision | null;
  recentData: RecentDataRef | null;
  challenger: ChallengerRef | null;
  evaluation: DoubleEvaluation | null;
  decision: Decision | null;
  decisionReason: string | null;
  promotion: PromotionResult | null;
  error: string | null;
  stepDurationsMs: Record<string, number>;
  /** Set while a deploy waits for a person (requireApproval). */
  approval?: ApprovalRecord;
  notification?: string | null;
}

/** The workflow's result. */
export interface MonitorResult {
  decision: Decision;
  reason: string;
  promoted: boolean;
  /** The champion after the run: the promoted challenger, or the champion it judged. */
  championVersion: number | null;
  /** Its artifact (absent in runs recorded before it was returned). */
  championModelUri?: string | null;
  evaluation: DoubleEvaluation | null;
  auditWritten: boolean;
}

/**
 * One row per workflow run, on every path (failures included), keyed by
 * (workflowId, runId) so a retried write never adds a second row. A superset
 * of the old `monitoring_audit.logs` table, adding what it lost: which run
 * wrote it, why a fine-tune fired, which features drifted, both test sets'
 * metrics for both models, whether promotion really succeeded.
 */
export interface AuditRow {
  workflowId: string;
  runId: string;
  /** ISO-8601 instants. */
  startedAt: string;
  finishedAt: string;
  asOf: string;
  triggerSource: TriggerSource;
  forced: boolean;
  testMode: boolean;
  driftDetected: boolean | null;
  driftShare: number | null;
  driftedFeatures: string[];
  /** The champion's own performance on the last labelled days. */
  championValidation: ModelMetrics | null;
  /** The rule that fired ('forced', 'champion_rmse_above_max', 'assessment_…') or null. */
  triggerRule: string | null;
  fineTuneTriggered: boolean;
  recentData: { uri: string; rows: number; fromMs: number; toMs: number } | null;
  championVersion: number | null;
  championModelUri: string | null;
  challengerModelUri: string | null;
  /** Version number the challenger got when promoted. */
  challengerVersion: number | null;
  /** The per-counter level the challenger measured, its spread (absent in rows written before levels). */
  challengerLevel?: LevelSummary | null;
  champion: TestSetMetrics | null;
  challenger: TestSetMetrics | null;
  /** Paired bootstrap intervals of RMSE(challenger) ÷ RMSE(champion) on both test sets. */
  comparison?: DoubleEvaluation['comparison'] | null;
  decision: Decision;
  decisionReason: string;
  promoted: boolean;
  /** The thresholds this run used, after per-run overrides. */
  thresholds: Record<string, unknown>;
  stepDurationsMs: Record<string, number>;
  reportUris: string[];
  /** Who approved or rejected a deploy, when approval was required. */
  approval?: ApprovalRecord;
  /** Outcome of the webhook notification: 'sent', 'not configured', or the failure (which never fails the run). */
  notification?: string | null;
  /** The drift assessment this run's trigger used (null before it ran or in runs that predate it). */
  assessment?: DriftAssessmentSummary | null;
  /** Training lineage of both models, their overlaps with both test sets (must be 0), and the trims made. */
  testSetIntegrity?: TestSetIntegrity | null;
  /** What a `data import --replace` changed (its own row kind, decision `data_replace`). */
  dataImport?: DataImportRecord | null;
  error: string | null;
}

/** A frozen baseline set the warehouse now differs from: replaced rows inside its period. */
export interface BaselineDifference {
  set: 'train_baseline' | 'test_baseline';
  /** Replaced rows inside the set's period (the set keeps their old counts). */
  rows: number;
  fromMs: number;
  /** Inclusive, as in the set's manifest. */
  toMs: number;
  contentHash: string;
}

/** One import that replaced stored counts with a file's (audited like a rollback). */
export interface DataImportRecord {
  file: string;
  read: number;
  loaded: number;
  duplicates: number;
  quarantined: number;
  /** Stored rows whose count the file replaced. */
  replaced: number;
  /** Stored rows with another count, kept as stored (without `--replace`); absent in records before it was kept. */
  conflicts?: number;
  /** Up to 20 of them, with both counts. */
  examples: { counterId: string; hour: string; previous: number; count: number }[];
  /** Every replaced row with both counts (a CSV), when written. */
  replacedListUri: string | null;
  baselineDifferences: BaselineDifference[];
}

/**
 * The retraining policies a backtest compares: `configured` (the run config,
 * with the user's overrides), `never` (the starting champion, no run at all),
 * `always` (a fine-tune forced every week, promoted on any point gain on
 * test_current), and any other labelled chain (e.g. a candidate rule).
 */
export type BacktestPolicy = string;

/** One chain of weekly runs in a backtest: its own data folder copy, served on its own task queue. */
export interface BacktestChain {
  policy: BacktestPolicy;
  taskQueue: string;
  /** The weekly run's input, less `asOf` (the backtest sets it). */
  input: Omit<MonitorInput, 'asOf'>;
}

export interface BacktestInput {
  /** The runs' `asOf` instants (ISO-8601), in order. */
  asOfs: string[];
  /** Length of the interval scored after each decision, ms. */
  horizonMs: number;
  chains: BacktestChain[];
  /** The champion when the backtest starts: the "never retrain" policy's model. */
  startChampion: { version: number; modelUri: string };
  /** A worker that scores models on warehouse windows (any chain's). */
  scoreTaskQueue: string;
}

export interface BacktestRun {
  workflowId: string;
  decision: Decision;
  reason: string;
  championVersion: number | null;
}

export interface BacktestWeek {
  asOf: string;
  /** Each chain's run, by policy. */
  runs: Record<BacktestPolicy, BacktestRun>;
  /** Each policy's production model scored on [asOf, asOf + horizon); null where no data follows. */
  next: Record<BacktestPolicy, ModelMetrics | null>;
}

export interface BacktestResult {
  weeks: BacktestWeek[];
}

export interface BacktestProgress {
  done: number;
  total: number;
  current: string | null;
}
