import { Context } from '@temporalio/activity';
import { BadInputError } from '../core/errors';
import { assertValidCounts } from '../core/validate-counts';
import { RAW } from '../storage/count-columns-sql';
import { readCountsParquet } from '../storage/count-parquet';
import { RAW_COUNTS_TABLE } from '../storage/duckdb-warehouse';
import type { RunConfig } from '../config/run-config';
import type { ActivityDeps } from './deps';
import { runArtifactKey } from './run-artifacts';
import type { RecentDataRef, RunKey } from '../core/domain';

const DAY_MS = 86_400_000;

/**
 * Writes the last `recentDays` before asOf once, as this run's snapshot. A
 * retry returns the snapshot an earlier attempt wrote, so every later step
 * of the run (and any rerun of a step) sees exactly the same rows.
 */
export function makeFetchRecentData(deps: ActivityDeps) {
  return async function fetchRecentData(args: {
    run: RunKey;
    asOfMs: number;
    config: RunConfig;
  }): Promise<RecentDataRef> {
    const { artifacts, warehouse } = deps;
    const snapshotKey = runArtifactKey(args.run, 'recent.parquet');
    const summaryKey = runArtifactKey(args.run, 'recent.json');
    const summaryUri = artifacts.uriFor(summaryKey);
    if (await artifacts.exists(summaryUri)) return JSON.parse(await artifacts.getText(summaryUri)) as RecentDataRef;

    const fromMs = args.asOfMs - args.config.windows.recentDays * DAY_MS;
    const query = {
      fromMs,
      toMs: args.asOfMs,
      ...(args.config.fetch.rowCap !== null
        ? { limit: args.config.fetch.rowCap, seed: args.config.fetch.sampleSeed }
        : {}),
    };
    Context.current().heartbeat({ phase: 'exporting', fromMs, toMs: args.asOfMs });
    const scratch = await artifacts.scratchPath('recent.parquet');
    const summary = await warehouse.exportCounts(query, scratch);
    const source = `${RAW_COUNTS_TABLE} [${new Date(fromMs).toISOString()}, ${new Date(args.asOfMs).toISOString()})`;
    if (summary.rows === 0 || summary.minMs === null || summary.maxMs === null)
      throw new BadInputError(`empty fetch: no rows in the last ${args.config.windows.recentDays} days`, {
        file: source,
      });
    assertValidCounts(await readCountsParquet(scratch), source, {
      count: RAW.count,
      timestamp: RAW.timestamp,
      counterId: RAW.counterId,
    });

    const uri = await artifacts.putFile(snapshotKey, scratch);
    const ref: RecentDataRef = {
      uri,
      rows: summary.rows,
      counters: summary.counters,
      fromMs: summary.minMs,
      toMs: summary.maxMs,
    };
    await artifacts.put(summaryKey, JSON.stringify(ref));
    return ref;
  };
}
