import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportRun } from '../../src/client/status';
import { triggerRun } from '../../src/client/triggers';
import { approvalUpdate } from '../../src/workflows/definitions';
import { maybeRecord, replay } from '../support/history';
import { connectTestTemporal, testWorker, uniqueTaskQueue, type TemporalTestContext } from '../support/temporal';
import { makeWorld, WORLD_END, type TestWorld } from '../support/world';

let ctx: TemporalTestContext;
let server: Server;
const received: { status: number; body: { text: string; content: string } }[] = [];
let answerWith = 200;
let hookUrl = '';

beforeAll(async () => {
  ctx = await connectTestTemporal();
  // A local stand-in for Slack/Discord on the loopback interface.
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push({ status: answerWith, body: JSON.parse(body) as { text: string; content: string } });
      res.writeHead(answerWith).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  hookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook/secret-token`;
});
afterAll(async () => {
  await ctx?.close();
  await new Promise((r) => server?.close(r));
});

async function waitForStep(workflowId: string, step: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    const r = await reportRun(ctx.client, workflowId);
    if (r.kind === 'open' && r.status?.step === step) return;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error(`${workflowId} never reached ${step}`);
}

describe('human approval and notifications', () => {
  const worlds: TestWorld[] = [];
  afterAll(() => worlds.forEach((w) => w.cleanup()));

  it('approved: the deploy waits for a person, then promotes; the webhook hears of it', async () => {
    const world = await makeWorld('strike');
    worlds.push(world);
    world.deps.webhookUrl = hookUrl;
    answerWith = 200;
    const taskQueue = uniqueTaskQueue('approve');
    const workflowId = `test-approve-${randomUUID().slice(0, 8)}`;
    const worker = await testWorker(ctx, taskQueue, world.deps);
    await worker.runUntil(async () => {
      const run = await triggerRun(
        ctx.client,
        { taskQueue },
        { forceFineTune: true, asOf: WORLD_END, overrides: { promotion: { requireApproval: true } } },
        workflowId,
      );
      await waitForStep(workflowId, 'awaitingApproval');
      const handle = ctx.client.workflow.getHandle(workflowId);
      const refused = (await handle
        .executeUpdate(approvalUpdate, { args: [{ approved: true, by: '' }] })
        .catch((e: unknown) => e)) as Error & { cause?: Error };
      expect(refused.cause?.message).toMatch(/who decides/);
      expect(
        await handle.executeUpdate(approvalUpdate, {
          args: [{ approved: true, by: 'alice', reason: 'strike week looks right' }],
        }),
      ).toEqual({ accepted: true, decision: 'approved' });
      await run.result();
    });
    maybeRecord('deploy-approved', await ctx.client.workflow.getHandle(workflowId).fetchHistory());
    await replay(ctx.bundle, await ctx.client.workflow.getHandle(workflowId).fetchHistory(), workflowId);
    const [row] = await world.deps.warehouse.listAudit({ workflowId });
    expect(row).toMatchObject({
      decision: 'deploy',
      promoted: true,
      approval: { approved: true, by: 'alice', reason: 'strike week looks right' },
      notification: 'sent',
    });
    expect((await world.deps.registry.champion())!.version).toBe(2);
    const message = received.find((m) => m.body.text.includes(workflowId))!;
    expect(message.body.text).toMatch(/^bike-retrain: deploy — /);
    expect(message.body.content).toBe(message.body.text);
    // The webhook URL is a secret: it appears in no audit field.
    expect(JSON.stringify(row)).not.toContain('secret-token');
  });

  it('timed out: nobody approves in time, the champion stays; a failing webhook does not fail the run', async () => {
    const world = await makeWorld('strike');
    worlds.push(world);
    world.deps.webhookUrl = hookUrl;
    answerWith = 500;
    const taskQueue = uniqueTaskQueue('timeout');
    const workflowId = `test-timeout-${randomUUID().slice(0, 8)}`;
    const worker = await testWorker(ctx, taskQueue, world.deps);
    await worker.runUntil(async () => {
      const overrides = { promotion: { requireApproval: true, approvalTimeoutMs: 2000 } };
      const run = await triggerRun(
        ctx.client,
        { taskQueue },
        { forceFineTune: true, asOf: WORLD_END, overrides },
        workflowId,
      );
      const result = await run.result();
      expect(result.decision).toBe('skip_not_approved');
    });
    const [row] = await world.deps.warehouse.listAudit({ workflowId });
    expect(row).toMatchObject({
      decision: 'skip_not_approved',
      promoted: false,
      approval: { timedOut: true, afterMs: 2000 },
    });
    expect(row.notification).toMatch(/^failed: .*HTTP 500/);
    expect(row.decisionReason).toMatch(/no approval within 2 s/);
    expect((await world.deps.registry.champion())!.version).toBe(1);
  });
});
