import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  condition,
  isCancellation,
  log,
  patched,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
  type ActivityOptions,
} from '@temporalio/workflow';
import type { createActivities } from '../activities';
import type { ResolvedRun } from '../config/run-config';
import type { ApprovalRequest, AuditRow, Decision, MonitorInput, MonitorResult, MonitorStatus } from '../core/domain';
import { NON_RETRYABLE_ERROR_TYPES } from '../core/errors';
import { approvalUpdate, statusQuery } from './definitions';
import {
  decidePromotion,
  decidePromotionNextWeek,
  decidePromotionNextWeekV2,
  decidePromotionPointEstimate,
  decidePromotionWithIntervals,
  decideTrigger,
  decideTriggerFromAssessment,
} from './decision';
import { blockForcedOnCriticalData } from './data-quality-block';
import { DECISION, DRIFT_DETECTED, FORCED, STEP } from './search-attributes';

type Activities = ReturnType<typeof createActivities>;

/** patched() id: the trigger rule became the drift assessment (issue 5). */
export const ASSESSMENT_TRIGGER = 'drift-assessment-trigger-v1';
/** patched() id: promotion judged with paired bootstrap intervals (issue 6). */
export const PROMOTION_INTERVALS = 'promotion-intervals-v1';
/** patched() ids: human approval of a deploy; webhook notification. */
export const APPROVAL = 'approval-v1';
export const NOTIFY = 'notify-v1';
/**
 * patched() id: the champion is resolved once at the start and every step
 * judges that one; the drift window doubles as the validation window (issue 10).
 */
export const ONE_CHAMPION = 'one-champion-per-run-v1';
/**
 * patched() id: no test row is a training row; when leaving out the rows a
 * model saw leaves test_current under its minimum, the champion stays (issue 11).
 */
export const TEST_SETS_UNSEEN = 'test-sets-unseen-v1';
/** patched() id: the promotion rule is chosen by the run config (`promotion.rule`) (issue 11). */
export const PROMOTION_RULE_CHOICE = 'promotion-rule-choice-v1';
/** patched() id: with `trigger.fineTuneEveryRun`, every run trains a challenger unless data quality blocks it (issue 11). */
export const FINE_TUNE_EVERY_RUN = 'fine-tune-every-run-v1';
/** patched() id: critical data quality blocks a forced fine-tune too; the decision is `blocked_data_quality` (issue 12). */
export const CRITICAL_DATA_BLOCKS_FORCED = 'critical-data-blocks-forced-v1';
/** patched() id: a run that critical data quality kept from training says so (`blocked_data_quality`), forced or not. */
export const CRITICAL_DATA_DECISION = 'critical-data-decision-v1';
/** patched() id: training and evaluation go to the input's heavy task queue, for workers sized for them (issue 13). */
export const HEAVY_TASK_QUEUE = 'heavy-task-queue-v1';

const NON_RETRYABLE = [...NON_RETRYABLE_ERROR_TYPES];

// One explicit policy per kind of step: what a retry can fix and how long it may take.
// Every activity heartbeats at least every 2 s while it runs (activities/keep-alive.ts), so a heartbeat
// timeout of 10–20 s notices a killed worker quickly: kill → retried attempt on another worker within
// the heartbeat timeout plus the first retry interval, under 30 s for every step (issue 12; the fault suite
// in test/integration/faults.test.ts measures it). Changing options changes no command: old histories replay.
const HEARTBEAT_TIMEOUT = '20 seconds';
const SHORT_HEARTBEAT_TIMEOUT = '10 seconds';
const RESOLVE: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  heartbeatTimeout: SHORT_HEARTBEAT_TIMEOUT,
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '10 seconds',
    maximumAttempts: 3,
    nonRetryableErrorTypes: NON_RETRYABLE,
  },
};
const READ_DATA: ActivityOptions = {
  startToCloseTimeout: '15 minutes',
  heartbeatTimeout: HEARTBEAT_TIMEOUT,
  retry: {
    initialInterval: '2 seconds',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    maximumAttempts: 5,
    nonRetryableErrorTypes: NON_RETRYABLE,
  },
};
const TRAIN: ActivityOptions = {
  startToCloseTimeout: '2 hours',
  heartbeatTimeout: HEARTBEAT_TIMEOUT,
  retry: {
    initialInterval: '5 seconds',
    backoffCoefficient: 2,
    maximumInterval: '2 minutes',
    maximumAttempts: 3,
    nonRetryableErrorTypes: NON_RETRYABLE,
  },
};
const PROMOTE: ActivityOptions = {
  startToCloseTimeout: '1 minute',
  heartbeatTimeout: SHORT_HEARTBEAT_TIMEOUT,
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '30 seconds',
    maximumAttempts: 10,
    nonRetryableErrorTypes: NON_RETRYABLE,
  },
};
const NOTIFY_OPTIONS: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  heartbeatTimeout: SHORT_HEARTBEAT_TIMEOUT,
  // A notification is worth a few quick tries, not a long wait: the run is done.
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '10 seconds', maximumAttempts: 3 },
};
// The audit row must land: many attempts, each idempotent on (workflow id, run id).
const AUDIT: ActivityOptions = {
  startToCloseTimeout: '1 minute',
  heartbeatTimeout: SHORT_HEARTBEAT_TIMEOUT,
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    maximumAttempts: 30,
    nonRetryableErrorTypes: ['ConfigError'],
  },
};

const a = {
  resolve: proxyActivities<Activities>(RESOLVE),
  read: proxyActivities<Activities>(READ_DATA),
  train: proxyActivities<Activities>(TRAIN),
  promote: proxyActivities<Activities>(PROMOTE),
  audit: proxyActivities<Activities>(AUDIT),
  notify: proxyActivities<Activities>(NOTIFY_OPTIONS),
};

/**
 * The weekly run: drift check, champion check, and when needed a fine-tune
 * with double evaluation and promotion. Whatever happens, exactly one audit
 * row is written, and the run fails visibly when a step failed.
 */
export async function monitorAndFineTune(input: MonitorInput = {}): Promise<MonitorResult> {
  const info = workflowInfo();
  const run = { workflowId: info.workflowId, runId: info.runId };
  const status: MonitorStatus = {
    step: 'starting',
    startedAt: new Date().toISOString(),
    asOf: null,
    forced: input?.forceFineTune === true,
    drift: null,
    championValidation: null,
    trigger: null,
    recentData: null,
    challenger: null,
    evaluation: null,
    decision: null,
    decisionReason: null,
    promotion: null,
    error: null,
    stepDurationsMs: {},
  };
  setHandler(statusQuery, () => status);
  let answer: (ApprovalRequest & { at: string }) | null = null;
  setHandler(
    approvalUpdate,
    (req) => {
      answer = { approved: req.approved, by: req.by, reason: req.reason, at: new Date().toISOString() };
      return { accepted: true, decision: req.approved ? 'approved' : 'rejected' };
    },
    {
      validator: (req) => {
        if (status.step !== 'awaitingApproval')
          throw new Error(`no deploy is waiting for approval (current step: ${status.step})`);
        if (typeof req?.by !== 'string' || req.by.trim() === '') throw new Error('say who decides: --by NAME');
      },
    },
  );

  /** Runs one step: current details and a search attribute for the Web UI, and its duration. */
  async function step<T>(name: string, detail: string, work: () => Promise<T>): Promise<T> {
    status.step = name;
    setCurrentDetails(`**${name}**: ${detail}`);
    upsertSearchAttributes([{ key: STEP, value: name }]);
    const t0 = Date.now();
    try {
      return await work();
    } finally {
      status.stepDurationsMs[name] = Date.now() - t0;
    }
  }

  let resolved: ResolvedRun | null = null;
  try {
    resolved = await step('resolveRunConfig', 'validating input and thresholds', () =>
      a.resolve.resolveRunConfig.executeWithOptions({ ...RESOLVE, summary: 'validate input, apply overrides' }, [
        input ?? {},
        info.runStartTime.getTime(),
      ]),
    );
    const r = resolved;
    status.asOf = new Date(r.asOfMs).toISOString();
    status.forced = r.forced;
    upsertSearchAttributes([{ key: FORCED, value: r.forced }]);

    // Runs recorded before the champion was chosen once replay without this step.
    const championRef = patched(ONE_CHAMPION)
      ? await step('resolveChampion', 'choosing the champion this run judges', () =>
          a.read.resolveChampion.executeWithOptions({ ...READ_DATA, summary: 'choose the champion once' }, []),
        )
      : undefined;
    status.champion = championRef ?? null;
    const withChampion = championRef ? { champion: championRef } : {};

    status.drift = await step(
      'detectDrift',
      `reference vs the ${r.config.windows.driftDays} days before ${status.asOf}`,
      () =>
        a.read.detectDrift.executeWithOptions(
          { ...READ_DATA, summary: `drift: last ${r.config.windows.driftDays} days vs baseline` },
          [{ run, asOfMs: r.asOfMs, config: r.config, ...withChampion }],
        ),
    );
    if (status.drift.driftDetected !== null)
      upsertSearchAttributes([{ key: DRIFT_DETECTED, value: status.drift.driftDetected }]);

    // The drift check already scored the champion on this window when the two windows are one.
    status.championValidation =
      status.drift.championValidation ??
      (await step('validateChampion', `champion on the last ${r.config.windows.validationDays} labelled days`, () =>
        a.read.validateChampion.executeWithOptions(
          { ...READ_DATA, summary: 'score the champion on recent labelled data' },
          [{ asOfMs: r.asOfMs, config: r.config, ...withChampion }],
        ),
      ));
    const champion = status.championValidation;

    // Runs started before the assessment existed keep the first rule when replayed.
    status.trigger = patched(ASSESSMENT_TRIGGER)
      ? decideTriggerFromAssessment(
          {
            forced: r.forced,
            // Older histories' configs have no such field: patched() is only asked when it is on.
            everyRun: r.config.trigger.fineTuneEveryRun === true && patched(FINE_TUNE_EVERY_RUN),
            assessment: status.drift.assessment,
            champion: champion.metrics,
          },
          r.config.trigger,
        )
      : decideTrigger(
          { forced: r.forced, driftDetected: status.drift.driftDetected, champion: champion.metrics },
          r.config.trigger,
        );
    // Runs recorded before this patch trained on whatever the window held when forced.
    const blocked = blockForcedOnCriticalData(status.trigger, r.forced, status.drift.assessment);
    if (blocked && patched(CRITICAL_DATA_BLOCKS_FORCED)) status.trigger = blocked;
    if (!status.trigger.fineTune) {
      // Runs recorded before this patch called an unforced run that bad data held back `not_triggered`.
      const heldBack =
        status.trigger === blocked ||
        (status.drift.assessment?.qualityCritical === true && patched(CRITICAL_DATA_DECISION));
      status.decision = heldBack ? 'blocked_data_quality' : 'not_triggered';
      status.decisionReason = status.trigger.reason;
    } else {
      status.recentData = await step(
        'fetchRecentData',
        `last ${r.config.windows.recentDays} days up to ${status.asOf}`,
        () =>
          a.read.fetchRecentData.executeWithOptions(
            { ...READ_DATA, summary: `snapshot of the last ${r.config.windows.recentDays} days` },
            [{ run, asOfMs: r.asOfMs, config: r.config }],
          ),
      );
      const recent = status.recentData;
      // A task queue of its own lets teams run training on big machines and the light steps anywhere.
      // Runs without one (and runs recorded before it) schedule both steps on the run's own queue.
      const heavyQueue: Pick<ActivityOptions, 'taskQueue'> =
        r.heavyTaskQueue && r.heavyTaskQueue !== info.taskQueue && patched(HEAVY_TASK_QUEUE)
          ? { taskQueue: r.heavyTaskQueue }
          : {};
      status.challenger = await step('trainChallenger', `baseline + ${recent.rows} recent rows`, () =>
        a.train.trainChallenger.executeWithOptions(
          { ...TRAIN, ...heavyQueue, summary: `train ${r.config.model.modelType} on baseline + recent` },
          [{ run, recent, config: r.config, ...withChampion }],
        ),
      );
      const challenger = status.challenger;
      const minDays = r.config.windows.minTestCurrentDays;
      const tooSmall =
        challenger.testCurrentDays !== undefined && challenger.testCurrentDays < minDays && patched(TEST_SETS_UNSEEN);
      if (tooSmall) {
        status.decision = 'skip_test_set_too_small';
        status.decisionReason =
          `test_current keeps ${challenger.testCurrentDays} whole day(s) once rows a model trained on are left out ` +
          `(needs ${minDays}): champion kept. ${challenger.integrity?.trims.join('; ') ?? ''}`.trim();
      } else {
        status.evaluation = await step(
          'evaluateDouble',
          'champion and challenger on test_baseline and test_current',
          () =>
            a.train.evaluateDouble.executeWithOptions(
              { ...TRAIN, ...heavyQueue, summary: 'champion & challenger × test_baseline & test_current' },
              [{ run, championUri: champion.modelUri, challenger, config: r.config, ...withChampion }],
            ),
        );
        const evaluation = status.evaluation;
        const useIntervals = patched(PROMOTION_INTERVALS);
        let verdict: { decision: Decision; reason: string } =
          r.config.promotion.rule !== undefined &&
          r.config.promotion.rule !== 'intervals-v1' &&
          patched(PROMOTION_RULE_CHOICE)
            ? r.config.promotion.rule === 'point-estimate' || !evaluation.comparison
              ? decidePromotionPointEstimate(evaluation)
              : r.config.promotion.rule === 'next-week-v2'
                ? decidePromotionNextWeekV2({ ...evaluation, comparison: evaluation.comparison }, r.config.promotion)
                : decidePromotionNextWeek({ ...evaluation, comparison: evaluation.comparison }, r.config.promotion)
            : useIntervals && evaluation.comparison
              ? decidePromotionWithIntervals({ ...evaluation, comparison: evaluation.comparison }, r.config.promotion)
              : decidePromotion(evaluation, r.config.promotion);
        if (verdict.decision === 'deploy' && r.config.promotion.requireApproval && patched(APPROVAL)) {
          const waitMs = r.config.promotion.approvalTimeoutMs;
          status.step = 'awaitingApproval';
          upsertSearchAttributes([{ key: STEP, value: 'awaitingApproval' }]);
          setCurrentDetails(
            `**awaiting approval** (until ${new Date(Date.now() + waitMs).toISOString()}): ${verdict.reason}\n\n\`bike-retrain approve ${info.workflowId} --by NAME\` or \`reject\``,
          );
          const answered = await condition(() => answer !== null, waitMs);
          const a0 = answer as (ApprovalRequest & { at: string }) | null;
          if (!answered || !a0) {
            status.approval = { timedOut: true, afterMs: waitMs };
            verdict = {
              decision: 'skip_not_approved',
              reason: `no approval within ${Math.round(waitMs / 1000)} s: champion kept (${verdict.reason})`,
            };
          } else {
            status.approval = { approved: a0.approved, by: a0.by, reason: a0.reason ?? null, at: a0.at };
            if (!a0.approved)
              verdict = {
                decision: 'skip_not_approved',
                reason: `rejected by ${a0.by}${a0.reason ? `: ${a0.reason}` : ''} (${verdict.reason})`,
              };
          }
        }
        status.decision = verdict.decision;
        status.decisionReason = verdict.reason;
        if (verdict.decision === 'deploy') {
          status.promotion = await step(
            'promoteChampion',
            `promote the challenger over version ${champion.championVersion}`,
            () =>
              a.promote.promoteChampion.executeWithOptions(
                { ...PROMOTE, summary: 'atomic promotion (previous champion kept)' },
                [{ run, challenger, expectedChampion: champion.championVersion, evaluation, testMode: r.testMode }],
              ),
          );
        }
      }
    }
  } catch (err) {
    if (isCancellation(err)) status.error = 'run cancelled';
    else status.error = describeFailure(err);
    status.decisionReason = status.decision === 'deploy' ? `promotion failed: ${status.error}` : status.error;
    status.decision = 'failed';
    log.error('monitorAndFineTune failed', { error: status.error, step: status.step });
  }

  const decision = status.decision ?? 'failed';
  upsertSearchAttributes([{ key: DECISION, value: decision }]);
  if (['deploy', 'reject_regression', 'skip_not_approved', 'failed'].includes(decision) && patched(NOTIFY)) {
    // A broken webhook never fails the run: its outcome is recorded, nothing more.
    status.notification = await CancellationScope.nonCancellable(() =>
      a.notify.notify
        .executeWithOptions({ ...NOTIFY_OPTIONS, summary: `notify: ${decision}` }, [
          {
            workflowId: run.workflowId,
            runId: run.runId,
            decision,
            reason: status.decisionReason ?? '',
            webUiUrl: null,
          },
        ])
        .catch((err: unknown) => `failed: ${describeFailure(err)}`),
    );
  }
  const row = auditRow(run, input, resolved, status, decision);
  // Even a cancelled run records why it ended.
  const audit = await CancellationScope.nonCancellable(() =>
    step('writeAudit', `decision ${decision}`, () =>
      a.audit.writeAudit.executeWithOptions({ ...AUDIT, summary: `audit row: ${decision}` }, [row]),
    ),
  );
  status.step = 'done';
  setCurrentDetails(
    `**done**: ${decision}, ${status.decisionReason ?? ''}` +
      (status.drift?.reportUri ? `\n\nDrift report: ${status.drift.reportUri}` : ''),
  );

  if (decision === 'failed') {
    throw ApplicationFailure.create({
      type: 'MonitorRunFailed',
      message: `${status.error ?? 'run failed'} (audit row written: ${audit.written ? 'yes' : 'already present'})`,
      nonRetryable: true,
    });
  }
  return {
    decision,
    reason: status.decisionReason ?? '',
    promoted: status.promotion !== null,
    championVersion: status.promotion?.version ?? status.championValidation?.championVersion ?? null,
    championModelUri: status.promotion
      ? (status.challenger?.modelUri ?? null)
      : (status.championValidation?.modelUri ?? null),
    evaluation: status.evaluation,
    auditWritten: audit.written,
  };
}

function describeFailure(err: unknown): string {
  // An activity failure wraps the activity's own error: report the cause, which names file, column and row.
  if (err instanceof ActivityFailure && err.cause) return `${err.activityType}: ${err.cause.message}`;
  return err instanceof Error ? err.message : String(err);
}

function auditRow(
  run: { workflowId: string; runId: string },
  input: MonitorInput,
  resolved: ResolvedRun | null,
  s: MonitorStatus,
  decision: Decision,
): AuditRow {
  return {
    workflowId: run.workflowId,
    runId: run.runId,
    startedAt: s.startedAt,
    finishedAt: new Date().toISOString(),
    asOf: s.asOf ?? s.startedAt,
    triggerSource: resolved?.triggerSource ?? (input?.triggerSource === 'schedule' ? 'schedule' : 'manual'),
    forced: s.forced,
    testMode: resolved?.testMode ?? input?.testMode === true,
    driftDetected: s.drift?.driftDetected ?? null,
    driftShare: s.drift?.driftShare ?? null,
    driftedFeatures: s.drift?.driftedFeatures ?? [],
    championValidation: s.championValidation?.metrics ?? null,
    triggerRule: s.trigger?.rule ?? null,
    fineTuneTriggered: s.trigger?.fineTune ?? false,
    recentData: s.recentData
      ? { uri: s.recentData.uri, rows: s.recentData.rows, fromMs: s.recentData.fromMs, toMs: s.recentData.toMs }
      : null,
    championVersion: s.championValidation?.championVersion ?? null,
    championModelUri: s.championValidation?.modelUri ?? null,
    challengerModelUri: s.challenger?.modelUri ?? null,
    challengerVersion: s.promotion?.version ?? null,
    challengerLevel: s.challenger?.level ?? null,
    champion: s.evaluation?.champion ?? null,
    challenger: s.evaluation?.challenger ?? null,
    comparison: s.evaluation?.comparison ?? null,
    decision,
    decisionReason: s.decisionReason ?? '',
    promoted: s.promotion !== null,
    thresholds: resolved ? { ...resolved.config } : {},
    stepDurationsMs: { ...s.stepDurationsMs },
    reportUris: [s.drift?.reportUri, s.drift?.reportJsonUri].filter((u): u is string => typeof u === 'string'),
    assessment: s.drift?.assessment ?? null,
    testSetIntegrity: s.challenger?.integrity ?? null,
    approval: s.approval ?? null,
    notification: s.notification ?? null,
    error: s.error,
  };
}
