import { readFile, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { BadInputError } from '../../core/errors';
import type { DriftCheck } from '../../drift';
import type { CliContext } from '../context';

/**
 * `bike-retrain drift --reference FILE --current FILE [--json] [--report out.html]`:
 * the weekly drift and data-quality assessment on two files, offline, as the
 * old `automatic_retraining.py --reference-data --recent-data` did. Files are
 * read by the project's importer (Paris open-data export or raw-table CSV).
 * No model is involved, so performance and concept drift are not assessed.
 * The importer and the drift modules are loaded by the action, not for `--help`.
 */
export function registerDriftCommand(program: Command, ctx: CliContext): Command {
  return program
    .command('drift')
    .description('assess drift and data quality of a current file against a reference file (Paris open-data CSV)')
    .requiredOption('--reference <file>', 'reference counts (e.g. the training baseline)')
    .requiredOption('--current <file>', 'current counts (e.g. the last 7 days)')
    .option('--json', 'print the full report as JSON instead of the summary')
    .option('--report <file>', 'write the self-contained HTML report here')
    .option('--report-json <file>', 'write the JSON report here')
    .option(
      '--config <file>',
      "JSON file of drift-config overrides (any subset of the sections), over BIKE_RETRAIN_CONFIG's drift section",
    )
    .action(
      async (o: {
        reference: string;
        current: string;
        json?: boolean;
        report?: string;
        reportJson?: string;
        config?: string;
      }) => {
        const [
          { importCountsFile },
          { renderDriftReportHtml, renderDriftReportJson, runDriftCheck, windowGapWarning },
          { resolveRunConfig },
        ] = await Promise.all([
          import('../../data/open-data-import.js'),
          import('../../drift/index.js'),
          import('../../config/run-config.js'),
        ]);
        // The same thresholds the weekly run uses (BIKE_RETRAIN_CONFIG), with this command's overrides on top.
        const { runDefaults } = await ctx.config();
        const overrides: unknown = o.config ? JSON.parse(await readFile(o.config, 'utf8')) : undefined;
        const config = resolveRunConfig(runDefaults, { drift: overrides }, `--config ${o.config}`).drift;
        const maxHourlyCount = config.quality.maxHourlyCount;
        const [ref, cur] = await Promise.all([
          importCountsFile(o.reference, { maxHourlyCount }),
          importCountsFile(o.current, { maxHourlyCount }),
        ]);
        for (const r of [ref, cur])
          if (r.quarantined.length)
            console.error(
              `${r.source}: ${r.quarantined.length} row(s) quarantined (first: line ${r.quarantined[0].line}, ${r.quarantined[0].reason})`,
            );
        if (ref.table.length === 0 || cur.table.length === 0)
          throw new BadInputError('no usable rows', { file: ref.table.length === 0 ? o.reference : o.current });
        const gap = windowGapWarning(ref.table, cur.table);
        if (gap) console.error(`warning: ${gap}`);
        const check = runDriftCheck({
          reference: ref.table,
          current: cur.table,
          config,
          title: `Drift check: ${o.current} against ${o.reference}`,
        });
        if (o.report) await writeFile(o.report, renderDriftReportHtml(check.report));
        if (o.reportJson) await writeFile(o.reportJson, renderDriftReportJson(check.report));
        if (o.json) console.log(renderDriftReportJson(check.report));
        else console.log(formatSummary(check, o.report));
      },
    );
}

function formatSummary(c: DriftCheck, reportPath?: string): string {
  const a = c.assessment;
  const lines = [
    `verdict:     ${a.triggered ? 'RETRAIN' : 'no retrain'} (severity ${a.severity}, confidence ${a.confidence.toFixed(2)}, heuristic)`,
    `drift:       ${c.drift.note}${c.drift.datasetDrift ? ' → dataset drift' : ''}`,
    `calendar:    ${c.drift.calendar.policy}`,
    `quality:     ${c.quality.status}`,
    'reasons:',
    ...a.reasons.map((r) => `  - ${r}`),
    'signals:',
    ...c.drift.signals.map((s) => `  ${s.drifted ? '✗' : '✓'} ${s.summary}`),
    'performance: not assessed (no model predictions offline)',
  ];
  if (reportPath) lines.push(`report:      ${reportPath}`);
  return lines.join('\n');
}
