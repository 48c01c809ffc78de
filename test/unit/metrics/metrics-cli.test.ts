import { createServer } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, STACK_FRAME } from '../../support/cli';
import { makeTmpHome } from '../../support/tmp-home';

const { home, cleanup } = makeTmpHome('bike-retrain-metrics-cli-');
afterAll(cleanup);
// No Temporal here: `metrics show` still serves the audit trail and registry, visibility marked down.
const NO_TEMPORAL = { TEMPORAL_ADDRESS: '127.0.0.1:1' };

describe('bike-retrain metrics', () => {
  it('serve without an address says which variable to set, exit 1, no stack trace', async () => {
    const r = await runCli(home, ['metrics', 'serve'], { ...NO_TEMPORAL, BIKE_RETRAIN_METRICS_ADDRESS: '' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('set BIKE_RETRAIN_METRICS_ADDRESS (e.g. 127.0.0.1:9464) or pass --address host:port');
    expect(r.stderr).not.toMatch(STACK_FRAME);
  });

  it('refuses a malformed address, from the environment or --address', async () => {
    const env = await runCli(home, ['metrics', 'serve'], { ...NO_TEMPORAL, BIKE_RETRAIN_METRICS_ADDRESS: '9464' });
    expect(env.code).toBe(1);
    expect(env.stderr).toMatch(/BIKE_RETRAIN_METRICS_ADDRESS.*expected host:port/);
    const opt = await runCli(home, ['metrics', 'serve', '--address', 'localhost'], NO_TEMPORAL);
    expect(opt.code).toBe(1);
    expect(opt.stderr).toContain('--address "localhost": expected host:port');
  });

  it('says when the port is taken', async () => {
    const taken = createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', () => r()));
    const port = (taken.address() as { port: number }).port;
    try {
      const r = await runCli(home, ['metrics', 'serve', '--address', `127.0.0.1:${port}`], NO_TEMPORAL);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`cannot serve metrics on 127.0.0.1:${port}: EADDRINUSE (the port is taken`);
      expect(r.stderr).not.toMatch(STACK_FRAME);
    } finally {
      taken.close();
    }
  });

  it('show prints one scrape of an empty data folder, Temporal down marked as such', async () => {
    const r = await runCli(home, ['metrics', 'show'], NO_TEMPORAL);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('bike_retrain_source_up{source="audit"} 1');
    expect(r.stdout).toContain('bike_retrain_source_up{source="visibility"} 0');
    expect(r.stdout).toContain('bike_retrain_champion_rmse_ceiling{source="configured"} 50');
    expect(r.stderr).toContain('metrics: cannot read the Temporal visibility: no Temporal server at 127.0.0.1:1');
  });
});
