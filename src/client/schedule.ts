import { type Client, ScheduleAlreadyRunning, ScheduleNotFoundError, ScheduleOverlapPolicy } from '@temporalio/client';
import type { MonitorInput } from '../core/domain';
import type { EnvConfig } from '../config/env-config';
import { SCHEDULE_ID, WORKFLOW_TYPE } from './ids';
import { withHeavyTaskQueue } from './run-input';

export { SCHEDULE_ID };

/** Sunday 00:00 UTC, as the Airflow DAG ran. */
export const WEEKLY_CRON = '0 0 * * 0';
/** A worker down for the weekend still catches Sunday's run on Monday; older missed runs are dropped. */
export const CATCHUP_WINDOW = '2 days';

export interface ScheduleSummary {
  scheduleId: string;
  cron: string;
  paused: boolean;
  note: string | undefined;
  overlap: string;
  catchupWindowMs: number;
  nextRuns: string[];
  recentRuns: { workflowId: string; scheduledAt: string }[];
}

/** Creates the weekly schedule; an existing one is left as it is. Returns whether it was created now. */
export async function createWeeklySchedule(
  client: Client,
  cfg: Pick<EnvConfig, 'taskQueue'> & Partial<Pick<EnvConfig, 'heavyTaskQueue'>>,
  cron = WEEKLY_CRON,
): Promise<boolean> {
  const input: MonitorInput = withHeavyTaskQueue({ triggerSource: 'schedule' }, cfg);
  try {
    await client.schedule.create({
      scheduleId: SCHEDULE_ID,
      spec: { cronExpressions: [cron] },
      action: {
        type: 'startWorkflow',
        workflowType: WORKFLOW_TYPE,
        // The server appends the scheduled time: monitor-and-fine-tune-scheduled-2026-11-29T00:00:00Z.
        workflowId: 'monitor-and-fine-tune-scheduled',
        taskQueue: cfg.taskQueue,
        args: [input],
        staticSummary: 'weekly monitor & fine-tune (scheduled)',
      },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: CATCHUP_WINDOW, pauseOnFailure: false },
      // describe() returns the spec as calendars, not the cron string: keep it for humans.
      memo: { cron, createdBy: 'bike-retrain schedule create' },
      state: { note: `weekly: ${cron} (UTC)` },
    });
    return true;
  } catch (err) {
    if (err instanceof ScheduleAlreadyRunning) return false;
    throw err;
  }
}

export async function describeSchedule(client: Client): Promise<ScheduleSummary | null> {
  try {
    const d = await client.schedule.getHandle(SCHEDULE_ID).describe();
    return {
      scheduleId: d.scheduleId,
      cron: String(d.memo?.cron ?? '(unknown)'),
      paused: d.state.paused,
      note: d.state.note,
      overlap: String(d.policies.overlap),
      catchupWindowMs: d.policies.catchupWindow,
      nextRuns: d.info.nextActionTimes.slice(0, 3).map((t) => t.toISOString()),
      recentRuns: d.info.recentActions.slice(-5).map((a) => ({
        workflowId: a.action.type === 'startWorkflow' ? a.action.workflow.workflowId : '',
        scheduledAt: a.scheduledAt.toISOString(),
      })),
    };
  } catch (err) {
    if (err instanceof ScheduleNotFoundError) return null;
    throw err;
  }
}

export async function pauseSchedule(client: Client, note = 'paused with bike-retrain'): Promise<void> {
  await client.schedule.getHandle(SCHEDULE_ID).pause(note);
}

export async function unpauseSchedule(client: Client, note = 'unpaused with bike-retrain'): Promise<void> {
  await client.schedule.getHandle(SCHEDULE_ID).unpause(note);
}

/** Runs the scheduled action now; SKIP (explicit: the default would be ALLOW_ALL) if a run is open. */
export async function triggerSchedule(client: Client): Promise<void> {
  await client.schedule.getHandle(SCHEDULE_ID).trigger(ScheduleOverlapPolicy.SKIP);
}

export async function deleteSchedule(client: Client): Promise<boolean> {
  try {
    await client.schedule.getHandle(SCHEDULE_ID).delete();
    return true;
  } catch (err) {
    if (err instanceof ScheduleNotFoundError) return false;
    throw err;
  }
}
