import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { AuditRow, Decision, ModelMetrics, TriggerSource } from '../core/domain';
import type { LoggedImport } from '../data/import-log';
import type { RegistryDoc } from '../registry/champion-registry';

/**
 * The domain metrics, derived at each scrape from what the system records (the
 * audit trail, the registry, Temporal visibility) rather than counted in
 * memory, so a restarted `metrics serve` reports the same values. Pure: a
 * snapshot in, a prom-client registry out (tested without a server).
 */

/** A monitorAndFineTune run that is open now, as visibility and its history tell. */
export interface OpenRun {
  workflowId: string;
  runId: string;
  /** BikeRetrainStep: the step the run is in (null before its first step). */
  step: string | null;
  /** A deploy waiting for approval: since when, and for how long at most (the run's own timeout). */
  approvalWait?: { sinceMs: number; timeoutMs: number };
}

export interface MetricsSnapshot {
  nowMs: number;
  /** The audit trail, oldest first; null when it could not be read. */
  audit: AuditRow[] | null;
  registry: RegistryDoc | null;
  /** Open weekly runs (backtest replays left out); null when Temporal could not be asked. */
  openRuns: OpenRun[] | null;
  /** The workers' configured thresholds (a run may override them; its audit row says). */
  configured: { maxChampionRmse: number };
  /** The newest `data import` record (src/data/import-log.ts); null when none or unreadable. */
  lastImport?: LoggedImport | null;
}

const P = 'bike_retrain_';

/** Every metric name this module exports: the dashboard and the alert rules may use these only (tests check). */
export const METRIC = {
  runs: `${P}runs_total`,
  lastRunInfo: `${P}last_run_info`,
  lastRunTimestamp: `${P}last_run_timestamp_seconds`,
  lastCompletedRunTimestamp: `${P}last_completed_run_timestamp_seconds`,
  lastRunAge: `${P}last_run_age_seconds`,
  lastRunStepDuration: `${P}last_run_step_duration_seconds`,
  stepDuration: `${P}step_duration_seconds`,
  championVersion: `${P}champion_version`,
  previousChampionVersion: `${P}previous_champion_version`,
  championRmse: `${P}champion_rmse`,
  championMae: `${P}champion_mae`,
  championR2: `${P}champion_r2`,
  championMetricsTimestamp: `${P}champion_metrics_timestamp_seconds`,
  rmseCeiling: `${P}champion_rmse_ceiling`,
  driftShare: `${P}drift_share`,
  driftDetected: `${P}drift_detected`,
  driftSeverity: `${P}drift_severity`,
  dataQualityCritical: `${P}data_quality_critical`,
  driftTimestamp: `${P}drift_assessment_timestamp_seconds`,
  promotions: `${P}promotions_total`,
  rollbacks: `${P}rollbacks_total`,
  lastImportRows: `${P}last_import_rows`,
  lastImportTimestamp: `${P}last_import_timestamp_seconds`,
  openRuns: `${P}open_runs`,
  approvalWait: `${P}approval_wait_seconds`,
  approvalTimeout: `${P}approval_timeout_seconds`,
  sourceUp: `${P}source_up`,
} as const;

const SEVERITIES = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;
const TRIGGER_SOURCES: readonly TriggerSource[] = ['schedule', 'manual'];
/**
 * A run's possible decisions. Every (source, decision) series is exported from the start, at 0, so that
 * `increase()` counts the first run of each: a series born at 1 has no earlier sample to increase from.
 */
const RUN_DECISION_SET: Record<Exclude<Decision, 'rollback' | 'data_replace'>, true> = {
  // A Record, so a new decision fails to compile until it is listed here.
  deploy: true,
  reject_regression: true,
  skip_no_improvement: true,
  skip_not_significant: true,
  skip_not_approved: true,
  skip_test_set_too_small: true,
  not_triggered: true,
  blocked_data_quality: true,
  failed: true,
};
const RUN_DECISIONS = Object.keys(RUN_DECISION_SET) as Decision[];
/** Rows the audit trail holds that are not weekly runs. */
const NOT_RUNS = new Set(['rollback', 'data_replace']);
const STEP_BUCKETS = [0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1800, 3600];

const seconds = (iso: string) => Date.parse(iso) / 1000;

/** The weekly runs the metrics describe: test-mode runs and manual actions (rollback, data replacement) left out. */
export function countedRuns(audit: readonly AuditRow[]): AuditRow[] {
  return audit.filter((r) => !r.testMode && !NOT_RUNS.has(r.decision)).sort(byFinish);
}

function byFinish(a: AuditRow, b: AuditRow): number {
  return Date.parse(a.finishedAt) - Date.parse(b.finishedAt) || a.runId.localeCompare(b.runId);
}

export function buildDomainMetrics(s: MetricsSnapshot): Registry {
  const reg = new Registry();
  const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[] = []) =>
    new Gauge<L>({ name, help, labelNames, registers: [reg] });

  const up = gauge(
    METRIC.sourceUp,
    '1 when the source could be read at this scrape (audit, registry, visibility), else 0',
    ['source'],
  );
  up.set({ source: 'audit' }, s.audit ? 1 : 0);
  up.set({ source: 'registry' }, s.registry ? 1 : 0);
  up.set({ source: 'visibility' }, s.openRuns ? 1 : 0);

  gauge(
    METRIC.rmseCeiling,
    'RMSE ceiling of the champion (trigger.maxChampionRmse): the workers configured one, and the one the last run used',
    ['source'],
  ).set({ source: 'configured' }, s.configured.maxChampionRmse);

  if (s.audit) runMetrics(reg, s, countedRuns(s.audit), s.audit);
  if (s.registry) championMetrics(reg, s.registry, s.audit ? countedRuns(s.audit) : []);
  if (s.openRuns) openRunMetrics(reg, s.openRuns, s.nowMs);
  return reg;
}

function runMetrics(reg: Registry, s: MetricsSnapshot, runs: AuditRow[], audit: readonly AuditRow[]): void {
  const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[] = []) =>
    new Gauge<L>({ name, help, labelNames, registers: [reg] });

  const runsTotal = new Counter({
    name: METRIC.runs,
    help: 'Weekly runs recorded in the audit trail, by trigger source and decision (test-mode runs left out)',
    labelNames: ['trigger_source', 'decision'],
    registers: [reg],
  });
  const steps = new Histogram({
    name: METRIC.stepDuration,
    help: 'Duration of each step of every recorded run, seconds',
    labelNames: ['step', 'trigger_source'],
    buckets: STEP_BUCKETS,
    registers: [reg],
  });
  const lastTs = gauge(METRIC.lastRunTimestamp, 'When the last run finished, by trigger source (unix seconds)', [
    'trigger_source',
  ]);
  const lastAge = gauge(METRIC.lastRunAge, 'Seconds since the last run finished, by trigger source', [
    'trigger_source',
  ]);
  const lastCompleted = gauge(
    METRIC.lastCompletedRunTimestamp,
    'When the last run that did not fail finished, by trigger source (unix seconds)',
    ['trigger_source'],
  );
  for (const trigger_source of TRIGGER_SOURCES)
    for (const decision of RUN_DECISIONS) runsTotal.inc({ trigger_source, decision }, 0);
  const last = new Map<TriggerSource, AuditRow>();
  const lastOk = new Map<TriggerSource, AuditRow>();
  for (const r of runs) {
    runsTotal.inc({ trigger_source: r.triggerSource, decision: r.decision });
    for (const [step, ms] of Object.entries(r.stepDurationsMs))
      steps.observe({ step, trigger_source: r.triggerSource }, ms / 1000);
    last.set(r.triggerSource, r);
    if (r.decision !== 'failed') lastOk.set(r.triggerSource, r);
  }
  for (const [source, r] of last) {
    lastTs.set({ trigger_source: source }, seconds(r.finishedAt));
    lastAge.set({ trigger_source: source }, Math.max(0, s.nowMs / 1000 - seconds(r.finishedAt)));
  }
  for (const [source, r] of lastOk) lastCompleted.set({ trigger_source: source }, seconds(r.finishedAt));

  const latest = runs.at(-1);
  if (latest) {
    gauge(METRIC.lastRunInfo, 'The last run (value 1): its decision, trigger source and ids', [
      'decision',
      'trigger_source',
      'workflow_id',
      'run_id',
    ]).set(
      {
        decision: latest.decision,
        trigger_source: latest.triggerSource,
        workflow_id: latest.workflowId,
        run_id: latest.runId,
      },
      1,
    );
    const stepGauge = gauge(METRIC.lastRunStepDuration, 'Duration of each step of the last run, seconds', ['step']);
    for (const [step, ms] of Object.entries(latest.stepDurationsMs)) stepGauge.set({ step }, ms / 1000);
    const used = (latest.thresholds as { trigger?: { maxChampionRmse?: unknown } }).trigger?.maxChampionRmse;
    if (typeof used === 'number') (reg.getSingleMetric(METRIC.rmseCeiling) as Gauge).set({ source: 'last_run' }, used);
  }

  const assessed = runs.filter((r) => r.driftShare !== null || r.assessment).at(-1);
  if (assessed) {
    gauge(METRIC.driftTimestamp, 'End of the window of the last drift assessment (the run’s asOf, unix seconds)').set(
      seconds(assessed.asOf),
    );
    if (assessed.driftShare !== null)
      gauge(METRIC.driftShare, 'Share of features that drifted in the last assessment (0–1)').set(assessed.driftShare);
    if (assessed.driftDetected !== null)
      gauge(METRIC.driftDetected, '1 when the last assessment detected data drift').set(assessed.driftDetected ? 1 : 0);
    if (assessed.assessment) {
      const sev = gauge(
        METRIC.driftSeverity,
        'Severity of the last drift assessment: 1 for its level, 0 for the others',
        ['severity'],
      );
      for (const level of SEVERITIES) sev.set({ severity: level }, assessed.assessment.severity === level ? 1 : 0);
      gauge(
        METRIC.dataQualityCritical,
        '1 when the last assessment found critical data quality (it blocks fine-tunes)',
      ).set(assessed.assessment.qualityCritical ? 1 : 0);
    }
  }

  new Counter({
    name: METRIC.promotions,
    help: 'Challengers promoted to champion by weekly runs (audit trail)',
    registers: [reg],
  }).inc(runs.filter((r) => r.promoted).length);
  new Counter({
    name: METRIC.rollbacks,
    help: 'Registry rollbacks (`bike-retrain registry rollback`, audit trail)',
    registers: [reg],
  }).inc(audit.filter((r) => r.decision === 'rollback').length);

  // Every import leaves a record in the import log; older data folders only have the audited replacements.
  const audited = audit.filter((r) => r.dataImport).at(-1);
  const importRecord: LoggedImport | null =
    s.lastImport ?? (audited?.dataImport ? { ...audited.dataImport, at: audited.finishedAt } : null);
  if (importRecord) {
    const rows = gauge(METRIC.lastImportRows, 'Rows of the last data import, by outcome', ['outcome']);
    rows.set({ outcome: 'read' }, importRecord.read);
    rows.set({ outcome: 'loaded' }, importRecord.loaded);
    rows.set({ outcome: 'duplicate' }, importRecord.duplicates);
    rows.set({ outcome: 'quarantined' }, importRecord.quarantined);
    rows.set({ outcome: 'conflict_kept' }, importRecord.conflicts ?? 0);
    rows.set({ outcome: 'conflict_replaced' }, importRecord.replaced);
    gauge(METRIC.lastImportTimestamp, 'When the last data import ran (unix seconds)').set(seconds(importRecord.at));
  }
}

/**
 * The champion's latest measured error: its validation on a run's drift
 * window, or, when it was promoted after the last validation, its score on the
 * promoting run's test_current (the freshest labelled days it was judged on).
 */
function championMetrics(reg: Registry, doc: RegistryDoc, runs: readonly AuditRow[]): void {
  const champion = doc.aliases.champion;
  if (champion === undefined) return;
  new Gauge({ name: METRIC.championVersion, help: 'Registry version of the champion', registers: [reg] }).set(champion);
  if (doc.aliases.previous_champion !== undefined)
    new Gauge({
      name: METRIC.previousChampionVersion,
      help: 'Registry version of the previous champion (what a rollback restores)',
      registers: [reg],
    }).set(doc.aliases.previous_champion);

  let measured: { metrics: ModelMetrics; window: string; atMs: number } | null = null;
  for (const r of runs) {
    if (r.championVersion === champion && r.championValidation)
      measured = { metrics: r.championValidation, window: 'validation', atMs: Date.parse(r.asOf) };
    if (r.promoted && r.challengerVersion === champion && r.challenger)
      measured = { metrics: r.challenger.current, window: 'test_current', atMs: Date.parse(r.asOf) };
  }
  if (!measured) return;
  const labels = { version: String(champion), window: measured.window };
  const g = (name: string, help: string, value: number) =>
    new Gauge({ name, help, labelNames: ['version', 'window'], registers: [reg] }).set(labels, value);
  const on = 'on the last labelled window it was scored on (window: validation, or test_current when just promoted)';
  g(METRIC.championRmse, `The champion’s RMSE ${on}`, measured.metrics.rmse);
  g(METRIC.championMae, `The champion’s MAE ${on}`, measured.metrics.mae);
  g(METRIC.championR2, `The champion’s R² ${on}`, measured.metrics.r2);
  g(METRIC.championMetricsTimestamp, 'End of that window (unix seconds)', measured.atMs / 1000);
}

function openRunMetrics(reg: Registry, open: readonly OpenRun[], nowMs: number): void {
  const byStep = new Gauge({
    name: METRIC.openRuns,
    help: 'Weekly runs open now, by current step (Temporal visibility)',
    labelNames: ['step'],
    registers: [reg],
  });
  // Present at 0 too, so "no run waits" is a value and not an absent series.
  byStep.set({ step: 'awaitingApproval' }, 0);
  for (const r of open) byStep.inc({ step: r.step ?? 'starting' });
  const labels = ['workflow_id', 'run_id'] as const;
  const wait = new Gauge({
    name: METRIC.approvalWait,
    help: 'How long an open deploy has been waiting for approval, seconds',
    labelNames: labels,
    registers: [reg],
  });
  const timeout = new Gauge({
    name: METRIC.approvalTimeout,
    help: 'The approval timeout of that run (promotion.approvalTimeoutMs), seconds',
    labelNames: labels,
    registers: [reg],
  });
  for (const r of open) {
    if (!r.approvalWait) continue;
    const l = { workflow_id: r.workflowId, run_id: r.runId };
    wait.set(l, Math.max(0, nowMs - r.approvalWait.sinceMs) / 1000);
    timeout.set(l, r.approvalWait.timeoutMs / 1000);
  }
}
