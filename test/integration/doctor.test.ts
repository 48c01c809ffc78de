import { execFileSync } from 'node:child_process';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { ensureWorld } from '../../src/data/demo-world';
import { ensureTemporalCli } from '../../src/temporal/temporal-cli';
import { embeddedDeps } from '../../src/worker';
import { runCli, STACK_FRAME } from '../support/cli';
import { makeTmpHome } from '../support/tmp-home';
import { makeWorld, TEST_RUN_CONFIG, WORLD_END_MS, type TestWorld } from '../support/world';

/**
 * `bike-retrain doctor` on real deployments (embedded storage): the shared dev
 * server, and one of its own started without our search attributes. GCP
 * storage on the emulators: doctor-gcp.test.ts.
 */
const cleanups: (() => unknown)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

const doctor = (home: string, address: string) =>
  runCli(home, ['doctor', '--timeout', '20'], { TEMPORAL_ADDRESS: address, TEMPORAL_NAMESPACE: 'default' });

describe('bike-retrain doctor on an embedded deployment', () => {
  let w: TestWorld;

  it('a healthy deployment passes every check, exit 0', async () => {
    w = await makeWorld('stable');
    cleanups.push(w.cleanup);
    const r = await doctor(w.home, inject('temporalAddress'));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    for (const name of ['Temporal', 'search attributes', 'data folder', 'warehouse', 'champion'])
      expect(r.stdout).toMatch(new RegExp(`^ok {4}${name}: `, 'm'));
    expect(r.stdout).toMatch(/^ok {4}champion: v1 \(rf\)/m);
    expect(r.stdout).toMatch(/all 5 checks passed\n$/);
  });

  it('no champion: FAIL naming `bike-retrain train-champion`, exit 1, the rest ok', async () => {
    const { home, cleanup } = makeTmpHome('bike-retrain-doctor-nochamp-');
    cleanups.push(cleanup);
    await ensureWorld(embeddedDeps({ home, env: 'test', runDefaults: TEST_RUN_CONFIG }), {
      scale: 'tiny',
      endMs: WORLD_END_MS,
      seed: 7,
      recentScenario: 'stable',
    });
    const r = await doctor(home, inject('temporalAddress'));
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      `FAIL  champion: no champion in ${home}/artifacts/registry/registry.json\n      fix: \`bike-retrain train-champion\` trains and registers the first one`,
    );
    expect(r.stdout).toMatch(/1 of 5 checks failed\n$/);
    expect(r.stderr).not.toMatch(STACK_FRAME);
  });

  it('a server without our search attributes: FAIL with the exact create commands, which fix it', async () => {
    const cli = ensureTemporalCli();
    const env = await TestWorkflowEnvironment.createLocal({
      server: { executable: { type: 'existing-path', path: cli }, extraArgs: ['--log-level', 'error'] },
    });
    cleanups.push(() => env.teardown());
    const r = await doctor(w.home, env.address);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^ok {4}Temporal: /m);
    expect(r.stdout).toContain(
      'FAIL  search attributes: BikeRetrainDecision (Keyword) missing; BikeRetrainDriftDetected (Bool) missing; BikeRetrainForced (Bool) missing; BikeRetrainStep (Keyword) missing; BikeRetrainBacktest (Bool) missing',
    );
    const fix = /^ {6}fix: (.*)$/m.exec(r.stdout.split('search attributes:')[1])![1];
    const opts = `--address ${env.address} --namespace default`;
    expect(fix.split(' && ')).toEqual([
      `temporal operator search-attribute create ${opts} --name BikeRetrainDecision --type Keyword`,
      `temporal operator search-attribute create ${opts} --name BikeRetrainDriftDetected --type Bool`,
      `temporal operator search-attribute create ${opts} --name BikeRetrainForced --type Bool`,
      `temporal operator search-attribute create ${opts} --name BikeRetrainStep --type Keyword`,
      `temporal operator search-attribute create ${opts} --name BikeRetrainBacktest --type Bool`,
    ]);
    // Applied as printed (the `temporal` CLI built by setup), the same check passes.
    for (const command of fix.split(' && ')) execFileSync(cli, command.split(' ').slice(1), { stdio: 'pipe' });
    const again = await doctor(w.home, env.address);
    expect(again.stdout).toMatch(/^ok {4}search attributes: BikeRetrainDecision, /m);
    expect(again.code).toBe(0);
  });
});
