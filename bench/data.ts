/**
 * Data-path benchmark: simulate, write, import and featurise the full scale
 * (75 counters × 365 days ≈ 657K rows). Prints one JSON object.
 *
 *   npx tsx bench/data.ts [--counters 75] [--days 365]
 *
 * The import runs in a child process so its peak RSS is the import's own,
 * not the simulator's table held by this process.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DAY_MS } from '../src/core/time';
import { importCountsFile } from '../src/data/open-data-import';
import { simulateCounts, simulateDefaults, writeOpenDataCsv } from '../src/data/simulator';
import { buildFeatures, fitFeatureSpec } from '../src/features/pipeline';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(process.argv[i + 1]);
}

const seconds = (t0: number) => Math.round((performance.now() - t0) / 10) / 100;

async function importPhase(file: string): Promise<void> {
  const t0 = performance.now();
  const r = await importCountsFile(file);
  const importS = seconds(t0);
  process.stdout.write(
    JSON.stringify({
      rows: r.table.length,
      quarantined: r.quarantined.length,
      importS,
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    }),
  );
}

async function main(): Promise<void> {
  const counters = arg('counters', 75);
  const days = arg('days', 365);
  const dir = mkdtempSync(join(tmpdir(), 'bench-data-'));
  try {
    const fromMs = Date.parse('2024-01-01T00:00:00Z');
    let t0 = performance.now();
    const small = simulateDefaults();
    const simulateDefaultsS = seconds(t0);
    t0 = performance.now();
    const table = simulateCounts({ scenario: 'stable', fromMs, toMs: fromMs + days * DAY_MS, counters, seed: 1 });
    const simulateS = seconds(t0);

    const file = join(dir, 'counts.csv');
    t0 = performance.now();
    const written = await writeOpenDataCsv(table, file);
    const csvWriteS = seconds(t0);

    const imported = JSON.parse(
      execFileSync(process.execPath, [...process.execArgv, __filename, '--import-phase', file], { encoding: 'utf8' }),
    ) as {
      rows: number;
      quarantined: number;
      importS: number;
      peakRssMb: number;
    };

    t0 = performance.now();
    const spec = fitFeatureSpec(table);
    const f = buildFeatures(table, spec);
    const featuresS = seconds(t0);

    console.log(
      JSON.stringify({
        rows: table.length,
        counters,
        days,
        simulate_s: simulateS,
        simulate_defaults_s: simulateDefaultsS,
        simulate_defaults_rows: small.length,
        csv_write_s: csvWriteS,
        csv_mb: Math.round(written.bytes / 1e5) / 10,
        import_s: imported.importS,
        import_rows: imported.rows,
        import_quarantined: imported.quarantined,
        import_peak_rss_mb: imported.peakRssMb,
        features_s: featuresS,
        feature_columns: f.X.names.length,
        node: process.version,
      }),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const phase = process.argv.indexOf('--import-phase');
(phase === -1 ? main() : importPhase(process.argv[phase + 1])).catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
