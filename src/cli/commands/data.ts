import { mkdir } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Option, type Command } from 'commander';
import { sliceRows, type CountTable } from '../../core/counts';
import { ConfigError } from '../../core/errors';
import type { BaselineScale } from '../../data/baseline';
import { SCENARIO_DESCRIPTIONS, SCENARIO_EFFECTS, SCENARIOS } from '../../data/scenarios';
import type { CountConflict, InsertCountsOptions, Warehouse } from '../../storage';
import { openDataStorage, type DataCommandContext } from '../data-storage';
import type { OpenedStorage } from '../../storage/open-storage';
import { fraction, instant, nonNegativeInt, positiveInt } from '../options';
import { registerDataSeasonCommand } from './data-season';

export type { DataCommandContext } from '../data-storage';

/**
 * `bike-retrain data import|simulate|baseline`. The importer, the simulator,
 * DuckDB and the progress bars are loaded inside the actions, not for `--help`.
 */
export function registerDataCommands(program: Command, ctx: DataCommandContext): Command {
  const data = program
    .command('data')
    .description('counter data: import real files, simulate scenarios, build the baseline sets');

  data
    .command('import')
    .description(
      'load a Paris open-data export or a raw-table CSV into the warehouse (idempotent on counter id + timestamp)',
    )
    .argument('<file>', 'CSV file (";" or ",", UTF-8 with or without BOM, CRLF or LF)')
    .option(
      '--quarantine <path>',
      'where to write rows kept aside and conflicts (default: <home>/quarantine/<file>.<import time>.quarantine.csv)',
    )
    .option(
      '--replace',
      "rows stored with another count take the file's count (audited; the frozen baseline sets keep theirs)",
    )
    .option('--json', 'one JSON object instead of the summary lines')
    .action(async (file: string, o: { quarantine?: string; replace?: boolean; json?: boolean }) => {
      const [{ importCountsFile }, quarantine, replacement, { countProgress }, { logImport }] = await Promise.all([
        import('../../data/open-data-import.js'),
        import('../../data/quarantine.js'),
        import('../../data/replacement.js'),
        import('../progress.js'),
        import('../../data/import-log.js'),
      ]);
      // The same bound as the data-quality check's: a count above it is quarantined here.
      const maxHourlyCount = (await ctx.runDefaults?.())?.drift.quality.maxHourlyCount;
      const bar = countProgress('import', 'MB');
      const r = await importCountsFile(file, {
        maxHourlyCount,
        onProgress: (done, total) => bar.update(done / 1e6, total / 1e6),
      }).finally(() => bar.stop());
      const home = await ctx.home();
      const at = new Date();
      const { loaded, replacedRows, differences, audited } = await withStorage(
        ctx,
        async ({ warehouse: w, artifacts }) => {
          const loaded = await insertWithProgress(w, r.table, { replace: o.replace === true });
          const replacedRows = o.replace
            ? loaded.conflicts.map((c) => ({
                line: r.lines[c.row],
                counterId: r.table.counterId[c.row],
                timestampMs: r.table.timestampMs[c.row],
                previous: c.storedCount,
                count: r.table.count[c.row],
              }))
            : [];
          const counts = {
            file: resolve(file),
            read: r.rowsRead,
            loaded: loaded.inserted,
            duplicates: loaded.duplicates,
            quarantined: r.quarantined.length,
            conflicts: o.replace ? 0 : loaded.conflicts.length,
          };
          if (replacedRows.length === 0) {
            const plain = replacement.dataImportRecord({
              ...counts,
              replaced: [],
              replacedListUri: null,
              baselineDifferences: [],
            });
            await logImport(artifacts, { ...plain, at: at.toISOString() });
            return { loaded, replacedRows, differences: [], audited: null };
          }
          const { readBaselineManifest } = await import('../../data/baseline-store.js');
          const manifest = await readBaselineManifest(artifacts).catch((e: unknown) => {
            if (e instanceof ConfigError) return null; // no baseline sets yet
            throw e;
          });
          const differences = replacement.baselineDifferences(manifest, replacedRows);
          const listPath = await sidePath(home, file, at, 'replaced', o.quarantine);
          await replacement.writeReplacedCsv(replacedRows, listPath, file);
          const record = replacement.dataImportRecord({
            ...counts,
            replaced: replacedRows,
            replacedListUri: pathToFileURL(listPath).href,
            baselineDifferences: differences,
          });
          const row = replacement.replacementAuditRow({
            at: at.toISOString(),
            by: `cli:${process.env.USER ?? 'unknown'}`,
            record,
          });
          await w.writeAudit(row);
          await logImport(artifacts, { ...record, at: at.toISOString() });
          return { loaded, replacedRows, differences, audited: { listPath, row } };
        },
      );
      // Conflicts kept as stored go to the quarantine file with both counts, beside the rows set aside.
      const conflictRows = o.replace
        ? []
        : loaded.conflicts.map((c) => ({
            line: r.lines[c.row],
            reason: quarantine.WAREHOUSE_CONFLICT,
            detail: `counter ${r.table.counterId[c.row]} at ${new Date(r.table.timestampMs[c.row]).toISOString()}: warehouse ${c.storedCount}, file ${r.table.count[c.row]}`,
            raw: '',
          }));
      const asideRows = [...r.quarantined, ...conflictRows].sort((a, b) => a.line - b.line);
      let asidePath: string | null = null;
      if (asideRows.length > 0) {
        asidePath = await sidePath(home, file, at, 'quarantine', o.quarantine);
        await quarantine.writeQuarantineCsv(asideRows, asidePath, file);
      }
      const byReason = quarantine.quarantineByReason(r.quarantined);
      if (o.json) {
        console.log(
          JSON.stringify({
            file,
            format: r.format,
            read: r.rowsRead,
            loaded: loaded.inserted,
            duplicates: loaded.duplicates,
            conflicts: o.replace ? 0 : loaded.conflicts.length,
            replaced: replacedRows.length,
            quarantined: r.quarantined.length,
            quarantinedByReason: byReason,
            quarantineFile: asidePath,
            replacedFile: audited?.listPath ?? null,
            baselineDifferences: differences,
            audited: audited !== null,
          }),
        );
        return;
      }
      console.log(`format:      ${r.format}`);
      console.log(`read:        ${r.rowsRead}`);
      console.log(`loaded:      ${loaded.inserted}`);
      console.log(`duplicate:   ${loaded.duplicates}`);
      if (o.replace) console.log(`replaced:    ${replacedRows.length}`);
      else console.log(`conflict:    ${loaded.conflicts.length}`);
      console.log(`quarantined: ${r.quarantined.length}`);
      for (const [reason, n] of Object.entries(byReason)) console.log(`  ${n} × ${reason}`);
      if (conflictRows.length > 0)
        console.log(
          `  ${conflictRows.length} row(s) stored with another count kept as stored; \`--replace\` lets this file's counts win`,
        );
      if (asidePath) console.log(`  first at line ${asideRows[0].line}; all of them in ${asidePath}`);
      if (audited) {
        console.log(`  stored counts replaced by the file's, both counts of each in ${audited.listPath}; audited`);
        for (const d of differences) console.log(`  ${replacement.describeBaselineDifference(d)}`);
      }
    });

  data
    .command('simulate')
    .description(
      `simulate hourly counts in the Paris open-data format. Scenarios:\n${SCENARIOS.map((s) => `  ${s}: ${SCENARIO_DESCRIPTIONS[s]}`).join('\n')}`,
    )
    .addOption(new Option('--scenario <name>', 'drift scenario').choices([...SCENARIOS]).default('stable'))
    .requiredOption('--from <date>', 'first hour (ISO-8601; a bare date is 00:00 UTC)', instant)
    .requiredOption('--to <date>', 'end, exclusive (ISO-8601)', instant)
    .option('--counters <n>', 'counters before any the scenario adds', positiveInt, 12)
    .option('--seed <s>', 'random seed: same seed, same bytes', nonNegativeInt, 1)
    .option('--change-at <date>', 'when the scenario starts (default: --from + 14 days)', instant)
    .option('--out <file>', 'write the open-data CSV here')
    .option('--into-warehouse', 'load the rows into the warehouse instead')
    .action(
      async (o: {
        scenario: string;
        from: number;
        to: number;
        counters: number;
        seed: number;
        changeAt?: number;
        out?: string;
        intoWarehouse?: boolean;
      }) => {
        if (!o.out === !o.intoWarehouse) throw new ConfigError('give exactly one of --out FILE or --into-warehouse');
        if (o.to <= o.from) throw new ConfigError('--to must be after --from');
        const [{ resolveScenario, simulateCounts, writeOpenDataCsv }, { ODBL_ATTRIBUTION }] = await Promise.all([
          import('../../data/simulator.js'),
          import('../../data/open-data-format.js'),
        ]);
        const scenario = resolveScenario(o.scenario);
        if (scenario === 'bad-rows' && o.intoWarehouse)
          throw new ConfigError(
            'bad-rows makes malformed CSV lines for the import path: use --out FILE, then `bike-retrain data import FILE`',
          );
        const table = simulateCounts({
          scenario,
          fromMs: o.from,
          toMs: o.to,
          counters: o.counters,
          seed: o.seed,
          changeAtMs: o.changeAt,
        });
        const counters = new Set(table.counterId).size;
        console.log(`simulated ${table.length} rows, ${counters} counters, scenario ${scenario}`);
        if (o.out) {
          const w = await writeOpenDataCsv(
            table,
            o.out,
            scenario === 'bad-rows' ? { corrupt: { seed: o.seed, every: SCENARIO_EFFECTS.badRowEvery } } : {},
          );
          console.log(
            `wrote ${o.out} (${(w.bytes / 1e6).toFixed(1)} MB${w.corrupted.length ? `, ${w.corrupted.length} malformed lines` : ''}); ${ODBL_ATTRIBUTION} (calibration)`,
          );
        } else {
          const r = await withStorage(ctx, ({ warehouse }) => insertWithProgress(warehouse, table));
          const conflicts = r.conflicts.length
            ? `, ${r.conflicts.length} stored with another count kept as stored`
            : '';
          console.log(`loaded ${r.inserted} rows into the warehouse (${r.duplicates} already there${conflicts})`);
        }
      },
    );

  data
    .command('baseline')
    .description('build train_baseline and test_baseline split by time (test = the later period) and their manifest')
    .addOption(
      new Option('--scale <scale>', 'full ≈ 657K/131K rows, small ≈ 86K/20K')
        .choices(['full', 'small'])
        .default('full'),
    )
    .option('--seed <s>', 'simulation seed', nonNegativeInt, 1)
    .option('--end <date>', 'end of the test period (default: today 00:00 UTC)', instant)
    .option('--from-warehouse', 'cut the sets from all rows already in the warehouse instead of simulating')
    .option('--train-fraction <f>', 'with --from-warehouse: share of days for training', fraction)
    .action(
      async (o: {
        scale: BaselineScale;
        seed: number;
        end?: number;
        fromWarehouse?: boolean;
        trainFraction?: number;
      }) => {
        const [{ buildBaselineSets, simulateBaselineTable }, { storeBaselineSets }] = await Promise.all([
          import('../../data/baseline.js'),
          import('../../data/baseline-store.js'),
        ]);
        const manifest = await withStorage(ctx, async ({ warehouse: w, artifacts }) => {
          const store = (sets: Parameters<typeof storeBaselineSets>[1]) =>
            storeBaselineSets(artifacts, sets, new Date());
          if (o.fromWarehouse) {
            const s = await w.summarizeCounts();
            if (s.rows === 0 || s.minMs === null || s.maxMs === null)
              throw new ConfigError(
                'the warehouse has no counts: run `bike-retrain data import` or `data simulate --into-warehouse` first',
              );
            const table = await w.queryCounts({ fromMs: s.minMs, toMs: s.maxMs + 1 });
            return store(buildBaselineSets({ table, trainFraction: o.trainFraction }));
          }
          const sim = simulateBaselineTable({ scale: o.scale, seed: o.seed, endMs: o.end });
          const loaded = await insertWithProgress(w, sim.table);
          console.log(`simulated ${sim.table.length} rows (${o.scale} scale); ${loaded.inserted} new in the warehouse`);
          return store(buildBaselineSets({ table: sim.table, testFromMs: sim.testFromMs }));
        });
        for (const m of [manifest.train, manifest.test])
          console.log(
            `${m.name.padEnd(15)} ${String(m.rows).padStart(8)} rows  ${iso(m.fromMs)} .. ${iso(m.toMs)}  sha256 ${m.contentHash.slice(0, 16)}…  ${m.uri}`,
          );
      },
    );

  registerDataSeasonCommand(data, ctx);
  return data;
}

/** The configured storage, opened once for the whole command; its warehouse closed after. */
async function withStorage<T>(ctx: DataCommandContext, f: (s: OpenedStorage) => Promise<T>): Promise<T> {
  const s = await openDataStorage(ctx);
  try {
    return await f(s);
  } finally {
    await s.warehouse.close();
  }
}

/**
 * Inserts in slices so a long load shows progress (each slice is idempotent on its own). A slice
 * costs the embedded warehouse an open and a checkpoint, and its memory while it lasts: with the
 * primary-key index, 350K rows (two slices for a year of 75 counters) took 2.5 s and 420 MB where 100K
 * took 9 s and one slice 550 MB. Without it (duckdb-warehouse.ts), a year in one 700K-row slice:
 * 4.40 → 4.04 s for the whole import, 409 → 440 MB peak (2-core Intel Xeon, medians of 3 interleaved).
 */
async function insertWithProgress(
  w: Warehouse,
  t: CountTable,
  options: InsertCountsOptions = {},
): Promise<{ inserted: number; duplicates: number; conflicts: CountConflict[]; replaced: number }> {
  const SLICE = 700_000;
  const { countProgress } = await import('../progress.js');
  const bar = countProgress('load', 'rows');
  let inserted = 0;
  let duplicates = 0;
  let replaced = 0;
  const conflicts: CountConflict[] = [];
  try {
    for (let from = 0; from < t.length; from += SLICE) {
      const r = await w.insertCounts(sliceRows(t, from, Math.min(t.length, from + SLICE)), options);
      inserted += r.inserted;
      duplicates += r.duplicates;
      replaced += r.replaced;
      for (const c of r.conflicts) conflicts.push({ row: c.row + from, storedCount: c.storedCount });
      bar.update(Math.min(t.length, from + SLICE), t.length);
    }
  } finally {
    bar.stop();
  }
  return { inserted, duplicates, conflicts, replaced };
}

/** A file beside the import's quarantine (one per import: a second week.csv must not overwrite the first one's). */
async function sidePath(home: string, file: string, at: Date, kind: string, quarantine?: string): Promise<string> {
  const stamp = at.toISOString().replace(/[:.]/g, '-');
  const path =
    kind === 'quarantine' && quarantine
      ? quarantine
      : quarantine
        ? `${quarantine.replace(/\.csv$/, '')}.${kind}.csv`
        : join(home, 'quarantine', `${basename(file)}.${stamp}.${kind}.csv`);
  await mkdir(dirname(path), { recursive: true });
  return path;
}

function iso(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16) + 'Z';
}
