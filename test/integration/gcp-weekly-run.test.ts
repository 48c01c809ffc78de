import { randomUUID } from 'node:crypto';
import { Context } from '@temporalio/activity';
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { ActivityDeps } from '../../src/activities';
import { trainChampionFromBaseline } from '../../src/champion/train-champion';
import { triggerRun } from '../../src/client/triggers';
import type { AuditRow, MonitorResult } from '../../src/core/domain';
import { ensureWorld } from '../../src/data/demo-world';
import { runCli } from '../support/cli';
import { startGcpDeployment, type GcpDeployment } from '../support/gcp-deployment';
import { MAX_PAYLOAD_BYTES, payloadSizes, replay } from '../support/history';
import { connectTestTemporal, testWorker, uniqueTaskQueue, type TemporalTestContext } from '../support/temporal';
import { TEST_RUN_CONFIG, WORLD_END, WORLD_END_MS } from '../support/world';

/**
 * The weekly workflow end to end with BIKE_RETRAIN_STORAGE=gcp: BigQuery
 * (emulator) for counts and audit, Cloud Storage (fake-gcs-server) for
 * datasets, models, reports and the registry, on the real dev server. Two
 * forced runs race to promote over the same champion, and each run's audit
 * write lands and then fails once (the worker lost the answer): the retry
 * must add no second row.
 */
let ctx: TemporalTestContext;
let gcp: GcpDeployment;
beforeAll(async () => {
  const t0 = performance.now();
  [ctx, gcp] = await Promise.all([connectTestTemporal(), startGcpDeployment()]);
  console.log(
    `emulators up in ${gcp.bq.startMs} ms (BigQuery), ${Math.round(gcp.gcs.startMs)} ms (GCS); ready in ${Math.round(performance.now() - t0)} ms`,
  );
});
afterAll(async () => {
  await ctx?.close();
  await gcp?.stop();
});

const seconds = (t0: number) => ((performance.now() - t0) / 1000).toFixed(1);

describe('the weekly run on GCP storage (BigQuery and Cloud Storage emulators)', () => {
  let deps: ActivityDeps;

  it('loads a world into BigQuery and Cloud Storage and trains the first champion there; doctor passes', async () => {
    deps = await gcp.deps();
    let t0 = performance.now();
    const world = await ensureWorld(deps, { scale: 'tiny', endMs: WORLD_END_MS, seed: 7, recentScenario: 'strike' });
    console.log(`tiny world (${world.baseline.train.rows} training rows) into BigQuery + GCS in ${seconds(t0)} s`);
    t0 = performance.now();
    const m = TEST_RUN_CONFIG.model;
    const champion = await trainChampionFromBaseline(
      deps,
      {
        modelType: m.modelType,
        nEstimators: m.nEstimators,
        maxDepth: m.maxDepth,
        minSamplesLeaf: m.minSamplesLeaf,
        seed: m.seed,
      },
      { source: { workflowId: 'test', runId: 'initial-champion' } },
    );
    console.log(`champion v${champion.version} trained and registered on GCS in ${seconds(t0)} s`);
    expect(champion.modelUri).toMatch(new RegExp(`^gs://${gcp.storage.bucket}/bike-retrain/models/`));

    const r = await runCli(gcp.home, ['doctor', '--timeout', '30'], {
      ...gcp.env,
      TEMPORAL_ADDRESS: inject('temporalAddress'),
    });
    expect(r.stdout).toMatch(
      /^ok {4}counts table: bike-retrain-test\.velo\.comptage_velo present, readable, writable$/m,
    );
    expect(r.stdout).toMatch(/^ok {4}audit table: .*monitoring_audit_logs present, readable, writable$/m);
    expect(r.stdout).toMatch(
      new RegExp(`^ok {4}bucket: gs://${gcp.storage.bucket}/bike-retrain/ present, readable, writable$`, 'm'),
    );
    expect(r.stdout).toMatch(/^ok {4}champion: v1 \(rf\), gs:\/\//m);
    expect(r.stdout).toMatch(/all 6 checks passed\n$/);
    expect(r.code).toBe(0);
  });

  it('two forced runs race to promote over v1: one deploys v2, the other loses cleanly; each audit write retried once, one row each', async () => {
    const taskQueue = uniqueTaskQueue('gcp-race');
    const auditCalls: { workflowId: string; attempt: number; written: boolean }[] = [];
    let atBarrier = 0;
    // Both promotions start together, so their compare-and-swaps on the registry object really race.
    const wrap: NonNullable<Parameters<typeof testWorker>[3]> = (a) => ({
      ...a,
      promoteChampion: async (...args: Parameters<typeof a.promoteChampion>) => {
        if (Context.current().info.attempt === 1) {
          atBarrier++;
          const deadline = Date.now() + 40_000;
          while (atBarrier < 2 && Date.now() < deadline) await Context.current().sleep(200);
        }
        return a.promoteChampion(...args);
      },
      writeAudit: async (row: AuditRow) => {
        const r = await a.writeAudit(row);
        const { attempt } = Context.current().info;
        auditCalls.push({ workflowId: row.workflowId, attempt, written: r.written });
        if (attempt === 1)
          throw ApplicationFailure.retryable('injected: the audit row landed, then the answer was lost');
        return r;
      },
    });
    // One worker (the SDK allows one per task queue and process): its two activity slots hold both promotions.
    const worker = await testWorker(ctx, taskQueue, deps, wrap);
    const ids = [0, 1].map((i) => `test-gcp-race-${i}-${randomUUID().slice(0, 8)}`);
    const t0 = performance.now();
    // A deadline below the test's, so a stuck run fails with its name and the worker still shuts down.
    const settled = await worker.runUntil(
      Promise.race([
        Promise.allSettled(
          ids.map(async (id) => {
            const run = await triggerRun(ctx.client, { taskQueue }, { forceFineTune: true, asOf: WORLD_END }, id);
            return (await run.result()) as MonitorResult;
          }),
        ),
        new Promise<never>((_, reject) =>
          setTimeout(
            () => reject(new Error(`the racing runs ${ids.join(', ')} did not end within 240 s`)),
            240_000,
          ).unref(),
        ),
      ]),
    );
    console.log(`two racing weekly runs on GCP storage in ${seconds(t0)} s`);

    const won = settled.flatMap((s, i) => (s.status === 'fulfilled' ? [{ id: ids[i], result: s.value }] : []));
    const lost = settled.flatMap((s, i) =>
      s.status === 'rejected' ? [{ id: ids[i], error: s.reason as unknown }] : [],
    );
    expect(atBarrier).toBe(2); // both promotions were released together: a real race
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(won[0].result).toMatchObject({ decision: 'deploy', promoted: true, championVersion: 2 });
    expect(won[0].result.championModelUri).toMatch(/^gs:\/\//);
    expect(won[0].result.auditWritten).toBe(false); // its retried write found the row the first attempt wrote
    expect(lost[0].error).toBeInstanceOf(WorkflowFailedError);
    expect((lost[0].error as WorkflowFailedError).cause?.message).toMatch(
      // already present: the retried write found the row its first attempt wrote.
      /promoteChampion: champion changed during the run: expected version 1, found 2 \(audit row written: already present\)/,
    );

    // The registry on Cloud Storage: exactly one promotion, the old champion kept.
    const registry = await deps.registry.snapshot();
    expect(registry.versions.map((v) => v.version)).toEqual([1, 2]);
    expect(registry.aliases).toEqual({ champion: 2, previous_champion: 1 });
    expect(registry.versions[1].source.workflowId).toBe(won[0].id);

    // BigQuery: one audit row per run although each write was retried after it landed.
    for (const id of ids) {
      expect(auditCalls.filter((c) => c.workflowId === id).map((c) => [c.attempt, c.written])).toEqual([
        [1, true],
        [2, false],
      ]);
      expect(await deps.warehouse.listAudit({ workflowId: id })).toHaveLength(1);
    }
    const [winnerRow] = await deps.warehouse.listAudit({ workflowId: won[0].id });
    const [loserRow] = await deps.warehouse.listAudit({ workflowId: lost[0].id });
    expect(winnerRow).toMatchObject({ decision: 'deploy', promoted: true, challengerVersion: 2, error: null });
    expect(loserRow).toMatchObject({ decision: 'failed', promoted: false });
    expect(loserRow.error).toMatch(/champion changed during the run/);
    expect(winnerRow.reportUris.every((u) => u.startsWith(`gs://${gcp.storage.bucket}/`))).toBe(true);

    // Data by reference on this storage too; the histories replay.
    for (const id of ids) {
      const history = await ctx.client.workflow.getHandle(id).fetchHistory();
      expect(Math.max(...payloadSizes(history))).toBeLessThan(MAX_PAYLOAD_BYTES);
      await replay(ctx.bundle, history, id);
    }

    // The CLI reads the same registry from Cloud Storage and audit trail from BigQuery.
    const list = await runCli(gcp.home, ['registry', 'list'], gcp.env);
    expect(list.stdout).toMatch(/^v1 .* previous_champion$/m);
    expect(list.stdout).toMatch(/^v2 .* champion$/m);
    const audit = await runCli(gcp.home, ['audit', '--json'], gcp.env);
    expect(audit.code).toBe(0);
    const workflowIds = audit.stdout
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as AuditRow).workflowId);
    expect(workflowIds.sort()).toEqual([...ids].sort());
  });
});
