import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { temporal } from '@temporalio/proto';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';

type History = temporal.api.history.v1.IHistory;

export const HISTORIES_DIR = join(__dirname, '..', 'histories');
export const MAX_PAYLOAD_BYTES = 64 * 1024;

/** Every payload in a history (inputs, results, heartbeats, queries' answers are not stored): its size in bytes. */
export function payloadSizes(history: History): number[] {
  const sizes: number[] = [];
  const walk = (v: unknown): void => {
    if (!v || typeof v !== 'object') return;
    if (v instanceof Uint8Array) return;
    const o = v as Record<string, unknown>;
    if (o.data instanceof Uint8Array && 'metadata' in o) {
      sizes.push(o.data.length);
      return;
    }
    for (const child of Array.isArray(v) ? v : Object.values(o)) walk(child);
  };
  walk(history.events);
  return sizes;
}

/** Replays a history against the current workflow code: throws on any non-determinism. */
export async function replay(bundle: WorkflowBundleWithSourceMap, history: History, workflowId: string): Promise<void> {
  await Worker.runReplayHistory({ workflowBundle: bundle }, history, workflowId);
}

/** With RECORD_HISTORIES=1, saves the history for the committed replay suite. */
export function maybeRecord(name: string, history: History): void {
  if (process.env.RECORD_HISTORIES !== '1') return;
  mkdirSync(HISTORIES_DIR, { recursive: true });
  writeFileSync(join(HISTORIES_DIR, `${name}.json`), JSON.stringify(JSON.parse(historyToJSON(history)), null, 1));
}
