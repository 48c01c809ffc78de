import type { Command } from 'commander';
import { SCHEDULE_ID } from '../../client/ids';
import { withCliClient, type CliContext } from '../context';

/** `bike-retrain schedule create|describe|pause|unpause|trigger|delete`. */
export function registerScheduleCommand(program: Command, ctx: CliContext): Command {
  const schedules = () => import('../../client/schedule.js');
  const schedule = program.command('schedule').description(`the weekly schedule (${SCHEDULE_ID})`);
  schedule
    .command('create')
    .description('create it (Sunday 00:00 UTC, overlap SKIP)')
    .option('--cron <expr>', 'cron expression (UTC)')
    .action(async (o: { cron?: string }) =>
      withCliClient(ctx, async (c, cfg) => {
        const { createWeeklySchedule } = await schedules();
        console.log(
          (await createWeeklySchedule(c, cfg, o.cron)) ? `created ${SCHEDULE_ID}` : `${SCHEDULE_ID} already exists`,
        );
      }),
    );
  schedule.command('describe').action(async () =>
    withCliClient(ctx, async (c) => {
      const d = await (await schedules()).describeSchedule(c);
      console.log(
        d ? JSON.stringify(d, null, 2) : `no schedule ${SCHEDULE_ID}; create it with \`bike-retrain schedule create\``,
      );
    }),
  );
  schedule
    .command('pause')
    .option('--note <text>')
    .action(async (o: { note?: string }) =>
      withCliClient(ctx, async (c) => {
        await (await schedules()).pauseSchedule(c, o.note);
        console.log('paused');
      }),
    );
  schedule
    .command('unpause')
    .option('--note <text>')
    .action(async (o: { note?: string }) =>
      withCliClient(ctx, async (c) => {
        await (await schedules()).unpauseSchedule(c, o.note);
        console.log('unpaused');
      }),
    );
  schedule
    .command('trigger')
    .description('run the scheduled action now (skipped if a run is open)')
    .action(async () =>
      withCliClient(ctx, async (c) => {
        await (await schedules()).triggerSchedule(c);
        console.log('triggered');
      }),
    );
  schedule
    .command('delete')
    .action(async () =>
      withCliClient(ctx, async (c) =>
        console.log((await (await schedules()).deleteSchedule(c)) ? 'deleted' : 'no such schedule'),
      ),
    );
  return schedule;
}
