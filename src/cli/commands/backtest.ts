import type { Command } from 'commander';
import { withCliClient, type CliContext } from '../context';
import { days, instant, json } from '../options';

/** `bike-retrain backtest`: replays the weekly workflow over history and scores each policy on the week after. */
export function registerBacktestCommand(program: Command, ctx: CliContext): Command {
  return program
    .command('backtest')
    .description(
      'replay the weekly run over history on a copy of the data (registry, champion and audit untouched) and score the configured policy, "never retrain" and "always promote" on the interval after each decision',
    )
    .requiredOption('--from <date>', 'first run as of (ISO-8601)', instant)
    .requiredOption('--to <date>', 'last run as of, at the latest (ISO-8601)', instant)
    .option('--every <days>', 'between runs, and the interval each decision is scored on', days, 7)
    .option('--overrides <json>', 'per-run overrides of the configured policy', json)
    .option('--json', 'the result as JSON')
    .option('--report <file>', 'where to write the HTML report (default: in the backtest folder)')
    .action(
      async (o: { from: number; to: number; every: number; overrides?: unknown; json?: boolean; report?: string }) => {
        await withCliClient(ctx, async () => {
          const cfg = await ctx.config();
          const [{ runBacktest }, { backtestTable }, { renderBacktestHtml }, { installCliRuntime }, progress] =
            await Promise.all([
              import('../../backtest/run-backtest.js'),
              import('../../backtest/summary.js'),
              import('../../backtest/report-html.js'),
              import('../../temporal/runtime.js'),
              import('../progress.js'),
            ]);
          const { writeFile } = await import('node:fs/promises');
          const { join } = await import('node:path');
          installCliRuntime();
          const bar = progress.countProgress('Backtest runs', 'runs');
          let lastDone = -1;
          const bt = await runBacktest(cfg, {
            fromMs: o.from,
            toMs: o.to,
            everyDays: o.every,
            overrides: o.overrides,
            onProgress: (p) => {
              bar.update(p.done, p.total);
              // Piped output (CI logs) gets one line per run instead of a bar.
              if (!process.stderr.isTTY && p.done !== lastDone) {
                lastDone = p.done;
                process.stderr.write(`backtest: ${p.done}/${p.total} runs${p.current ? `, now ${p.current}` : ''}\n`);
              }
            },
          }).finally(() => bar.stop());
          const report = o.report ?? join(bt.folder, 'report.html');
          const command = `bike-retrain backtest ${process.argv.slice(3).join(' ')}`;
          await writeFile(
            report,
            renderBacktestHtml(bt.result, { title: `Backtest ${bt.workflowId}`, generatedAt: new Date(), command }),
          );
          if (o.json)
            console.log(JSON.stringify({ workflowId: bt.workflowId, folder: bt.folder, report, ...bt.result }));
          else console.log(`${backtestTable(bt.result)}\n\nreport: ${report}\nruns and their data: ${bt.folder}`);
        });
      },
    );
}
