import { Context } from '@temporalio/activity';
import { MockActivityEnvironment } from '@temporalio/testing';
import { describe, expect, it } from 'vitest';
import { keepAlive } from '../../../src/activities/keep-alive';
import { runActivity } from '../../support/activity';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('keepAlive', () => {
  it('heartbeats while an awaited section runs, repeating the activity’s own last details', async () => {
    const env = new MockActivityEnvironment({ heartbeatTimeoutMs: 10_000, heartbeatDetails: { resumed: 1 } });
    const beats: unknown[] = [];
    env.on('heartbeat', (d: unknown) => beats.push(d));
    const activity = keepAlive(async function trainSomething(n: number) {
      await sleep(130); // e.g. a DuckDB COPY: no heartbeat of its own
      Context.current().heartbeat({ phase: 'training', done: n });
      await sleep(130);
      return n * 2;
    }, 40);
    expect(activity.name).toBe('trainSomething');
    expect(await runActivity(env, activity, 3)).toBe(6);
    // The previous attempt's details first (a resumable activity keeps its checkpoint), then its own.
    expect(beats[0]).toEqual({ resumed: 1 });
    const own = beats.findIndex((d) => (d as { phase?: string })?.phase === 'training');
    expect(own).toBeGreaterThan(1);
    expect(beats.slice(0, own).every((d) => (d as { resumed?: number }).resumed === 1)).toBe(true);
    expect(beats.length - own).toBeGreaterThan(2);
    expect(beats.slice(own).every((d) => (d as { done?: number }).done === 3)).toBe(true);
    // Stopped with the activity.
    const n = beats.length;
    await sleep(120);
    expect(beats).toHaveLength(n);
  });

  it('leaves activities without a heartbeat timeout alone', async () => {
    const env = new MockActivityEnvironment({ heartbeatTimeoutMs: undefined });
    const beats: unknown[] = [];
    env.on('heartbeat', (d: unknown) => beats.push(d));
    const activity = keepAlive(async () => {
      await sleep(100);
      return 'ok';
    }, 20);
    expect(await runActivity(env, activity)).toBe('ok');
    expect(beats).toEqual([]);
  });
});
