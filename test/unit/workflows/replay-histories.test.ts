import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { workflowsPath } from '../../../src/worker';
import { HISTORIES_DIR, MAX_PAYLOAD_BYTES, payloadSizes } from '../../support/history';

/**
 * Histories recorded from real runs (`npm run record-histories`) must keep
 * replaying: any change to workflow logic that would break running or
 * past workflows fails here (guard such changes with `patched()`).
 */
describe('committed workflow histories', () => {
  const files = readdirSync(HISTORIES_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort();

  it('cover not_triggered, deploy and a rejection or failure, across the drift-assessment, promotion-interval, approval/notify, one-champion and every-run/next-week-v2 patches', () => {
    for (const prefix of ['', 'v1-', 'v2-', 'v3-', 'v4-', 'v5-']) {
      expect(files).toEqual(
        expect.arrayContaining([
          `${prefix}not-triggered.json`,
          `${prefix}deploy.json`,
          `${prefix}reject-regression.json`,
          `${prefix}failed-bad-data.json`,
        ]),
      );
    }
    // Critical data quality blocking a forced fine-tune (critical-data-blocks-forced-v1).
    expect(files).toContain('blocked-data-quality.json');
    // …and an unforced run it held back (critical-data-decision-v1).
    expect(files).toContain('blocked-data-quality-weekly.json');
    // Training and evaluation on the heavy task queue (heavy-task-queue-v1).
    expect(files).toContain('heavy-queue-deploy.json');
    // A backtest's parent workflow (its children's ids derive from its own: recorded under the id `backtest`).
    expect(files).toContain('backtest.json');
  });

  it('all replay against the current workflow code', async () => {
    const workflowBundle = await bundleWorkflowCode({
      workflowsPath,
      logger: { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} },
    });
    const histories = files.map((f) => ({
      workflowId: f.replace(/\.json$/, ''),
      history: historyFromJSON(JSON.parse(readFileSync(join(HISTORIES_DIR, f), 'utf8'))),
    }));
    for (const { workflowId, history } of histories) {
      expect(Math.max(...payloadSizes(history)), `${workflowId}: largest payload`).toBeLessThan(MAX_PAYLOAD_BYTES);
    }
    const failures: string[] = [];
    for await (const result of Worker.runReplayHistories({ workflowBundle }, histories)) {
      if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
    }
    expect(failures).toEqual([]);
  }, 120_000);
});
