#!/usr/bin/env node
/**
 * The `bike-retrain` program: only its wiring. Each command lives in
 * ./commands/<name>.ts and registers its name, description and options; its
 * action loads what it needs (the Temporal SDK, DuckDB, the model engine…)
 * with `await import(…)` when it runs, so `--help` and the light commands
 * answer at once. test/unit/cli/cli.test.ts checks what a run loads.
 */
import { Command } from 'commander';
import { createCliContext } from './context';
import { reportError } from './errors';
import { registerApprovalCommands } from './commands/approve';
import { registerAuditCommand } from './commands/audit';
import { registerBacktestCommand } from './commands/backtest';
import { registerDataCommands } from './commands/data';
import { registerDemoCommand } from './commands/demo';
import { registerDoctorCommand } from './commands/doctor';
import { registerDriftCommand } from './commands/drift';
import { registerEvaluateCommand } from './commands/evaluate';
import { registerMetricsCommand } from './commands/metrics';
import { registerRegistryCommand } from './commands/registry';
import { registerScheduleCommand } from './commands/schedule';
import { registerServerCommand } from './commands/server';
import { registerSetupCommand } from './commands/setup';
import { registerStatusCommand } from './commands/status';
import { registerTrainChampionCommand } from './commands/train-champion';
import { registerTriggerCommand } from './commands/trigger';
import { registerWorkerCommand } from './commands/worker';

const ctx = createCliContext();
const program = new Command('bike-retrain')
  .description(
    'Keep the bike-count champion fresh: weekly drift check, fine-tune, double evaluation, promotion and audit on Temporal.',
  )
  .showHelpAfterError();

registerSetupCommand(program, ctx);
registerDemoCommand(program, ctx);
registerTrainChampionCommand(program, ctx);
registerServerCommand(program, ctx);
registerWorkerCommand(program, ctx);
registerTriggerCommand(program, ctx);
registerScheduleCommand(program, ctx);
registerStatusCommand(program, ctx);
registerDoctorCommand(program, ctx);
registerAuditCommand(program, ctx);
registerApprovalCommands(program, ctx);
registerRegistryCommand(program, ctx);
registerEvaluateCommand(program, ctx);
registerBacktestCommand(program, ctx);
registerMetricsCommand(program, ctx);
registerDataCommands(program, {
  home: async () => (await ctx.config()).home,
  runDefaults: async () => (await ctx.config()).runDefaults,
  storage: async () => (await ctx.environment()).storage,
});
registerDriftCommand(program, ctx);

program.parseAsync(process.argv).catch((err: unknown) => {
  console.error(reportError(err));
  process.exitCode = 1;
});
