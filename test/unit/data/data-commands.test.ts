import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { registerDataCommands } from '../../../src/cli/commands/data';
import { openWarehouse } from '../../../src/storage';
import { makeTmpHome } from '../../support/tmp-home';

const { home, cleanup } = makeTmpHome('bike-retrain-data-cli-');
afterAll(cleanup);

async function run(...args: string[]): Promise<string> {
  const program = new Command('bike-retrain').exitOverride();
  registerDataCommands(program, { home: () => home });
  const lines: string[] = [];
  const spy = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void lines.push(a.join(' ')));
  try {
    await program.parseAsync(['node', 'bike-retrain', ...args]);
  } finally {
    spy.mockRestore();
  }
  return lines.join('\n');
}

describe('bike-retrain data', () => {
  const csv = join(home, 'bad.csv');

  it('simulates a bad-rows file, imports it with a quarantine file, and a second import adds nothing', async () => {
    const sim = await run(
      'data',
      'simulate',
      '--scenario',
      'bad-rows',
      '--from',
      '2024-03-01',
      '--to',
      '2024-03-11',
      '--counters',
      '4',
      '--seed',
      '3',
      '--out',
      csv,
    );
    expect(sim).toMatch(/simulated 960 rows, 4 counters/);
    const malformed = Number(/(\d+) malformed lines/.exec(sim)![1]);
    expect(malformed).toBeGreaterThan(0);

    const first = await run('data', 'import', csv);
    expect(first).toContain('read:        960');
    expect(first).toContain(`loaded:      ${960 - malformed}`);
    expect(first).toContain(`quarantined: ${malformed}`);
    const quarantined = () => readdirSync(join(home, 'quarantine')).filter((f) => f.startsWith('bad.csv.'));
    expect(quarantined()).toHaveLength(1);
    const qfile = join(home, 'quarantine', quarantined()[0]);
    expect(first).toContain(qfile);
    expect(readFileSync(qfile, 'utf8').trim().split('\n')).toHaveLength(2 + malformed);

    const second = await run('data', 'import', csv);
    expect(second).toContain('loaded:      0');
    expect(second).toContain(`duplicate:   ${960 - malformed}`);
    // The second import of the same file keeps its own quarantine: the first one's is still there.
    expect(quarantined()).toHaveLength(2);
  });

  it('refuses bad-rows into the warehouse and a missing destination', async () => {
    await expect(
      run(
        'data',
        'simulate',
        '--scenario',
        'bad-rows',
        '--from',
        '2024-03-01',
        '--to',
        '2024-03-02',
        '--into-warehouse',
      ),
    ).rejects.toThrow(/--out FILE/);
    await expect(run('data', 'simulate', '--from', '2024-03-01', '--to', '2024-03-02')).rejects.toThrow(
      /exactly one of/,
    );
  });

  it('builds baseline sets by time from the warehouse, with a manifest', async () => {
    await run(
      'data',
      'simulate',
      '--scenario',
      'stable',
      '--from',
      '2024-03-11',
      '--to',
      '2024-04-10',
      '--counters',
      '4',
      '--seed',
      '3',
      '--into-warehouse',
    );
    const out = await run('data', 'baseline', '--from-warehouse', '--train-fraction', '0.75');
    expect(out).toMatch(/train_baseline/);
    const manifest = JSON.parse(readFileSync(join(home, 'artifacts', 'datasets', 'baseline-manifest.json'), 'utf8'));
    expect(manifest.train.toMs).toBeLessThan(manifest.test.fromMs);
    expect(manifest.train.contentHash).toMatch(/^[0-9a-f]{64}$/);
    const w = openWarehouse(home);
    const s = await w.summarizeCounts();
    await w.close();
    expect(manifest.train.rows + manifest.test.rows).toBe(s.rows);
  });
});
