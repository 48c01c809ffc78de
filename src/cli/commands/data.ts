import { mkdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Option, type Command } from 'commander';
import { sliceRows, type CountTable } from '../../core/counts';
import { ConfigError } from '../../core/errors';
import type { RunConfig } from '../../config/run-config';
import type { BaselineScale } from '../../data/baseline';
import { SCENARIO_DESCRIPTIONS, SCENARIO_EFFECTS, SCENARIOS } from '../../data/scenarios';
import type { Warehouse } from '../../storage';
import { fraction, instant, nonNegativeInt, positiveInt } from '../options';

export interface DataCommandContext {
  /** The data folder (BIKE_RETRAIN_HOME), resolved when a command runs. */
  home: () => string | Promise<string>;
  /** The run-config defaults (BIKE_RETRAIN_CONFIG): the import takes drift.quality.maxHourlyCount from them. */
  runDefaults?: () => Promise<RunConfig>;
}

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
      'where to write rows kept aside (default: <home>/quarantine/<file>.<import time>.quarantine.csv)',
    )
    .action(async (file: string, o: { quarantine?: string }) => {
      const [{ importCountsFile }, { quarantineByReason, writeQuarantineCsv }, { countProgress }] = await Promise.all([
        import('../../data/open-data-import.js'),
        import('../../data/quarantine.js'),
        import('../progress.js'),
      ]);
      // The same bound as the data-quality check's: a count above it is quarantined here.
      const maxHourlyCount = (await ctx.runDefaults?.())?.drift.quality.maxHourlyCount;
      const bar = countProgress('import', 'MB');
      const r = await importCountsFile(file, {
        maxHourlyCount,
        onProgress: (done, total) => bar.update(done / 1e6, total / 1e6),
      }).finally(() => bar.stop());
      const loaded = await withWarehouse(ctx, (w) => insertWithProgress(w, r.table));
      console.log(`format:      ${r.format}`);
      console.log(`read:        ${r.rowsRead}`);
      console.log(`loaded:      ${loaded.inserted}`);
      console.log(`duplicate:   ${loaded.duplicates}`);
      console.log(`quarantined: ${r.quarantined.length}`);
      if (r.quarantined.length > 0) {
        // One file per import: a second week.csv must not overwrite the first one's quarantine.
        const stamp = new Date().toISOString().replace(/[:.]/g, '-');
        const path = o.quarantine ?? join(await ctx.home(), 'quarantine', `${basename(file)}.${stamp}.quarantine.csv`);
        await mkdir(join(path, '..'), { recursive: true });
        await writeQuarantineCsv(r.quarantined, path, file);
        for (const [reason, n] of Object.entries(quarantineByReason(r.quarantined))) console.log(`  ${n} × ${reason}`);
        console.log(`  first at line ${r.quarantined[0].line}; all of them in ${path}`);
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
          const r = await withWarehouse(ctx, (w) => insertWithProgress(w, table));
          console.log(`loaded ${r.inserted} rows into the warehouse (${r.duplicates} already there)`);
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
        const [{ buildBaselineSets, simulateBaselineTable }, { storeBaselineSets }, { openArtifactStore }] =
          await Promise.all([
            import('../../data/baseline.js'),
            import('../../data/baseline-store.js'),
            import('../../storage/index.js'),
          ]);
        const sets = await withWarehouse(ctx, async (w) => {
          if (o.fromWarehouse) {
            const s = await w.summarizeCounts();
            if (s.rows === 0 || s.minMs === null || s.maxMs === null)
              throw new ConfigError(
                'the warehouse has no counts: run `bike-retrain data import` or `data simulate --into-warehouse` first',
              );
            const table = await w.queryCounts({ fromMs: s.minMs, toMs: s.maxMs + 1 });
            return buildBaselineSets({ table, trainFraction: o.trainFraction });
          }
          const sim = simulateBaselineTable({ scale: o.scale, seed: o.seed, endMs: o.end });
          const loaded = await insertWithProgress(w, sim.table);
          console.log(`simulated ${sim.table.length} rows (${o.scale} scale); ${loaded.inserted} new in the warehouse`);
          return buildBaselineSets({ table: sim.table, testFromMs: sim.testFromMs });
        });
        const manifest = await storeBaselineSets(openArtifactStore(await ctx.home()), sets, new Date());
        for (const m of [manifest.train, manifest.test])
          console.log(
            `${m.name.padEnd(15)} ${String(m.rows).padStart(8)} rows  ${iso(m.fromMs)} .. ${iso(m.toMs)}  sha256 ${m.contentHash.slice(0, 16)}…  ${m.uri}`,
          );
      },
    );

  return data;
}

async function withWarehouse<T>(ctx: DataCommandContext, f: (w: Warehouse) => Promise<T>): Promise<T> {
  const home = await ctx.home();
  await mkdir(home, { recursive: true });
  const { openWarehouse } = await import('../../storage/index.js');
  const w = openWarehouse(home);
  try {
    return await f(w);
  } finally {
    await w.close();
  }
}

/** Inserts in slices so a long load shows progress (each slice is idempotent on its own). */
async function insertWithProgress(w: Warehouse, t: CountTable): Promise<{ inserted: number; duplicates: number }> {
  const SLICE = 100_000;
  const { countProgress } = await import('../progress.js');
  const bar = countProgress('load', 'rows');
  let inserted = 0;
  let duplicates = 0;
  try {
    for (let from = 0; from < t.length; from += SLICE) {
      const r = await w.insertCounts(sliceRows(t, from, Math.min(t.length, from + SLICE)));
      inserted += r.inserted;
      duplicates += r.duplicates;
      bar.update(Math.min(t.length, from + SLICE), t.length);
    }
  } finally {
    bar.stop();
  }
  return { inserted, duplicates };
}

function iso(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16) + 'Z';
}
