import { Context } from '@temporalio/activity';
import type { RunConfig } from '../config/run-config';
import type { RecentDataRef, RunKey } from '../core/domain';
import { BadInputError } from '../core/errors';
import { DAY_MS } from '../core/time';
import { invalidCountError } from '../core/validate-counts';
import { exportWindowArtifact } from '../data/count-artifacts';
import type { ActivityDeps } from './deps';
import { runArtifactKey } from './run-artifacts';

/**
 * Writes the last `recentDays` before asOf once, as this run's snapshot. A
 * retry returns the snapshot an earlier attempt wrote, so every later step
 * of the run (and any rerun of a step) sees exactly the same rows. The rows
 * go from the warehouse to the artifact without passing through JS; the
 * warehouse validates them where they are.
 */
export function makeFetchRecentData(deps: ActivityDeps) {
  return async function fetchRecentData(args: {
    run: RunKey;
    asOfMs: number;
    config: RunConfig;
  }): Promise<RecentDataRef> {
    const { artifacts, warehouse } = deps;
    const summaryKey = runArtifactKey(args.run, 'recent.json');
    const summaryUri = artifacts.uriFor(summaryKey);
    if (await artifacts.exists(summaryUri)) return JSON.parse(await artifacts.getText(summaryUri)) as RecentDataRef;
    const window = { fromMs: args.asOfMs - args.config.windows.recentDays * DAY_MS, toMs: args.asOfMs };
    const query = {
      ...window,
      ...(args.config.fetch.rowCap !== null
        ? { limit: args.config.fetch.rowCap, seed: args.config.fetch.sampleSeed }
        : {}),
    };
    Context.current().heartbeat({ phase: 'exporting', ...window });
    const source = warehouse.source(window);
    const { uri, summary } = await exportWindowArtifact(
      warehouse,
      artifacts,
      query,
      runArtifactKey(args.run, 'recent.parquet'),
      (s) => {
        if (s.rows === 0 || s.minMs === null || s.maxMs === null)
          throw new BadInputError(`empty fetch: no rows in the last ${args.config.windows.recentDays} days`, {
            file: source.name,
          });
        if (s.firstInvalid) throw invalidCountError(s.firstInvalid, source);
      },
    );
    const ref: RecentDataRef = {
      uri,
      rows: summary.rows,
      counters: summary.counters,
      fromMs: summary.minMs!,
      toMs: summary.maxMs!,
    };
    await artifacts.put(summaryKey, JSON.stringify(ref));
    return ref;
  };
}
