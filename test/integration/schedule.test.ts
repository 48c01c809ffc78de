import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  createWeeklySchedule,
  deleteSchedule,
  describeSchedule,
  pauseSchedule,
  SCHEDULE_ID,
  triggerSchedule,
  unpauseSchedule,
  WEEKLY_CRON,
} from '../../src/client/schedule';
import { connectTestTemporal, testWorker, uniqueTaskQueue, type TemporalTestContext } from '../support/temporal';
import { makeWorld, type TestWorld } from '../support/world';

let ctx: TemporalTestContext;
let world: TestWorld;
beforeAll(async () => {
  ctx = await connectTestTemporal();
  world = await makeWorld('stable');
});
afterAll(async () => {
  await deleteSchedule(ctx.client).catch(() => undefined);
  await ctx?.close();
  world?.cleanup();
});

it('manages the weekly schedule, and a triggered scheduled run is audited as such', async () => {
  const taskQueue = uniqueTaskQueue('schedule');
  expect(await createWeeklySchedule(ctx.client, { taskQueue })).toBe(true);
  expect(await createWeeklySchedule(ctx.client, { taskQueue })).toBe(false);

  const d = (await describeSchedule(ctx.client))!;
  expect(d).toMatchObject({
    scheduleId: SCHEDULE_ID,
    cron: WEEKLY_CRON,
    paused: false,
    overlap: 'SKIP',
    catchupWindowMs: 2 * 86_400_000,
  });
  expect(new Date(d.nextRuns[0]).getUTCDay()).toBe(0);
  expect(new Date(d.nextRuns[0]).getUTCHours()).toBe(0);

  await pauseSchedule(ctx.client, 'maintenance');
  expect((await describeSchedule(ctx.client))!).toMatchObject({ paused: true, note: 'maintenance' });
  await unpauseSchedule(ctx.client);

  const worker = await testWorker(ctx, taskQueue, world.deps);
  await worker.runUntil(async () => {
    await triggerSchedule(ctx.client);
    // The scheduled run looks back from its own start time; the world's data ends earlier, so it fails
    // cleanly (no rows in the drift window, a non-retryable error) and is audited like any other run.
    for (let i = 0; i < 200; i++) {
      const recent = (await describeSchedule(ctx.client))!.recentRuns;
      if (recent.length > 0) {
        const handle = ctx.client.workflow.getHandle(recent[0].workflowId);
        await handle.result().catch(() => undefined);
        return;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('the triggered schedule started no run');
  });
  const rows = await world.deps.warehouse.listAudit();
  expect(rows).toHaveLength(1);
  expect(rows[0].triggerSource).toBe('schedule');
  expect(rows[0].forced).toBe(false);
  expect(rows[0].workflowId).toMatch(/^monitor-and-fine-tune-scheduled-/);

  expect(await deleteSchedule(ctx.client)).toBe(true);
  expect(await describeSchedule(ctx.client)).toBeNull();
});
