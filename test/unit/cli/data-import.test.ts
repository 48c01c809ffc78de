import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AuditRow } from '../../../src/core/domain';
import { lastImport } from '../../../src/data/import-log';
import { openArtifactStore, openWarehouse } from '../../../src/storage';
import { runCli, STACK_FRAME } from '../../support/cli';
import { makeTmpHome } from '../../support/tmp-home';

/**
 * `bike-retrain data import` run as its own process, the way a hostile user
 * tried it: conflicting re-exports, files that disagree with themselves,
 * implausible counts, missing files and headers. Exit code, stderr and the
 * warehouse afterwards.
 */
const { home: root, cleanup } = makeTmpHome('bike-retrain-import-cli-');
afterAll(cleanup);

const HEADER = 'identifiant_du_compteur,nom_du_compteur,comptage_horaire,date_et_heure_de_comptage,latitude,longitude';
const T0 = Date.UTC(2025, 2, 3); // a Monday
const H = 3_600_000;
const DAYS = 8;
const counters = ['c-1', 'c-2'];
const countOf = (c: number, h: number) => 10 + ((h * 7 + c * 3) % 40);
const line = (id: string, h: number, count: number | string) =>
  `${id},Counter ${id},${count},${new Date(T0 + h * H).toISOString()},48.8${id.at(-1)},2.3${id.at(-1)}`;

function allRows(change: (id: string, h: number, count: number) => number | string = (_i, _h, c) => c): string[] {
  const out: string[] = [];
  for (let h = 0; h < DAYS * 24; h++) counters.forEach((id, c) => out.push(line(id, h, change(id, h, countOf(c, h)))));
  return out;
}

/** A week of clean rows for every counter, from hour `fromH`. */
const week = (fromH: number) => {
  const rows: string[] = [];
  for (let h = fromH; h < fromH + 7 * 24; h++) counters.forEach((id, c) => rows.push(line(id, h, countOf(c, h))));
  return rows;
};

async function stored(home: string, id: string, h: number): Promise<number | undefined> {
  const w = openWarehouse(home);
  try {
    const t = await w.queryCounts({ fromMs: T0 + h * H, toMs: T0 + h * H + 1 });
    const i = t.counterId.indexOf(id);
    return i < 0 ? undefined : t.count[i];
  } finally {
    await w.close();
  }
}

async function audit(home: string): Promise<AuditRow[]> {
  const w = openWarehouse(home);
  try {
    return await w.listAudit();
  } finally {
    await w.close();
  }
}

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('data import: conflicts are kept and decided', () => {
  const home = join(root, 'conflicts');
  const first = join(root, 'first.csv');
  const corrected = join(root, 'corrected.csv');
  // One corrected count inside train_baseline (day 1), one inside test_baseline (day 7).
  const TRAIN_H = 5;
  const TEST_H = 7 * 24 + 5;

  it('loads a first export and cuts the baseline sets from it', async () => {
    writeFileSync(first, [HEADER, ...allRows(), ''].join('\n'));
    const r = await runCli(home, ['data', 'import', first]);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toContain(`loaded:      ${DAYS * 24 * 2}`);
    expect(r.stdout).toContain('conflict:    0');
    const b = await runCli(home, ['data', 'baseline', '--from-warehouse', '--train-fraction', '0.75']);
    expect(b.code).toBe(0);
    const manifest = JSON.parse(readFileSync(join(home, 'artifacts/datasets/baseline-manifest.json'), 'utf8'));
    expect(manifest.train.toMs).toBeGreaterThan(T0 + TRAIN_H * H);
    expect(manifest.test.fromMs).toBeLessThan(T0 + TEST_H * H);
  });

  it('reports a re-export that disagrees with the warehouse as conflicts, not duplicates, and keeps the stored counts', async () => {
    const rows = allRows((id, h, c) => (id === 'c-1' && (h === TRAIN_H || h === TEST_H) ? c + 1000 : c));
    const dupLine = rows[10];
    // A new hour the file gives two different counts, and an exact repeat of one of its rows.
    const inFile = [line('c-2', DAYS * 24, 12), line('c-2', DAYS * 24, 13)];
    writeFileSync(corrected, [HEADER, ...rows, line('c-1', DAYS * 24, 20), ...inFile, dupLine, ''].join('\n'));
    const r = await runCli(home, ['data', 'import', corrected]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const n = DAYS * 24 * 2;
    expect(r.stdout).toContain(`read:        ${n + 4}`);
    expect(r.stdout).toContain('loaded:      1\n');
    expect(r.stdout).toContain(`duplicate:   ${n - 2 + 1}\n`);
    expect(r.stdout).toContain('conflict:    2\n');
    expect(r.stdout).toContain('quarantined: 2\n');
    expect(r.stdout).toContain('2 × conflicting counts for one counter and hour in this file');
    expect(r.stdout).toMatch(/2 row\(s\) stored with another count kept as stored; `--replace`/);
    expect(await stored(home, 'c-1', TRAIN_H)).toBe(countOf(0, TRAIN_H));
    expect(await stored(home, 'c-2', DAYS * 24)).toBeUndefined();

    // The quarantine holds both kinds, with both values of each conflict.
    const path = /all of them in (.*)$/m.exec(r.stdout)![1];
    const q = readFileSync(path, 'utf8');
    const hour = (h: number) => new Date(T0 + h * H).toISOString();
    const trainLine = 1 + 1 + TRAIN_H * 2; // header, then two rows an hour, c-1 first
    expect(q).toContain(
      `${trainLine},conflicts with the count stored in the warehouse,,"counter c-1 at ${hour(TRAIN_H)}: warehouse ${countOf(0, TRAIN_H)}, file ${countOf(0, TRAIN_H) + 1000}",`,
    );
    expect(q).toContain(
      `conflicting counts for one counter and hour in this file,,"counter c-2 at ${hour(DAYS * 24)}: 12 (line ${n + 3}), 13 (line ${n + 4})"`,
    );
    expect(q.trim().split('\n')).toHaveLength(2 + 4);

    const json = await runCli(home, ['data', 'import', corrected, '--json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({
      read: n + 4,
      loaded: 0,
      duplicates: n - 2 + 2,
      conflicts: 2,
      replaced: 0,
      quarantined: 2,
      audited: false,
    });
    expect(await audit(home)).toEqual([]);
    // …but the import log keeps what it set aside (read by `metrics serve`).
    expect(await lastImport(openArtifactStore(home))).toMatchObject({
      read: n + 4,
      loaded: 0,
      quarantined: 2,
      conflicts: 2,
      replaced: 0,
    });
  });

  it("--replace lets the file's counts win, audits it as its own row, and says where the warehouse now differs from the frozen baseline sets", async () => {
    const manifestPath = join(home, 'artifacts/datasets/baseline-manifest.json');
    const manifestBefore = readFileSync(manifestPath, 'utf8');
    const setsBefore = ['train', 'test'].map((s) => sha(join(home, `artifacts/datasets/${s}_baseline.parquet`)));

    const r = await runCli(home, ['data', 'import', corrected, '--replace']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('replaced:    2\n');
    expect(r.stdout).toContain('quarantined: 2\n');
    expect(r.stdout).toMatch(/the warehouse now differs from the frozen train_baseline .* in 1 replaced row\(s\)/);
    expect(r.stdout).toMatch(/the warehouse now differs from the frozen test_baseline .* in 1 replaced row\(s\)/);
    expect(await stored(home, 'c-1', TRAIN_H)).toBe(countOf(0, TRAIN_H) + 1000);
    expect(await stored(home, 'c-1', TEST_H)).toBe(countOf(0, TEST_H) + 1000);
    // In-file conflicts stay quarantined, --replace or not.
    expect(await stored(home, 'c-2', DAYS * 24)).toBeUndefined();

    // The frozen sets are artifacts with a content hash: untouched.
    expect(readFileSync(manifestPath, 'utf8')).toBe(manifestBefore);
    expect(['train', 'test'].map((s) => sha(join(home, `artifacts/datasets/${s}_baseline.parquet`)))).toEqual(
      setsBefore,
    );

    const rows = await audit(home);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ workflowId: 'data-import', decision: 'data_replace', promoted: false });
    expect(rows[0].decisionReason).toMatch(/2 stored count\(s\) replaced by .*corrected\.csv/);
    expect(rows[0].dataImport).toMatchObject({
      replaced: 2,
      quarantined: 2,
      examples: [
        {
          counterId: 'c-1',
          hour: new Date(T0 + TRAIN_H * H).toISOString(),
          previous: countOf(0, TRAIN_H),
          count: countOf(0, TRAIN_H) + 1000,
        },
        {
          counterId: 'c-1',
          hour: new Date(T0 + TEST_H * H).toISOString(),
          previous: countOf(0, TEST_H),
          count: countOf(0, TEST_H) + 1000,
        },
      ],
      baselineDifferences: [
        { set: 'train_baseline', rows: 1 },
        { set: 'test_baseline', rows: 1 },
      ],
    });
    const list = readFileSync(new URL(rows[0].dataImport!.replacedListUri!), 'utf8');
    expect(list).toContain(`c-1,${new Date(T0 + TRAIN_H * H).toISOString()},${countOf(0, TRAIN_H)},`);

    const auditCli = await runCli(home, ['audit']);
    expect(auditCli.stdout).toMatch(/data-import .* data_replace/);
    expect(auditCli.stdout).toMatch(/1 data replacements/);

    // Nothing left to replace: no second audit row.
    const again = await runCli(home, ['data', 'import', corrected, '--replace', '--json']);
    expect(JSON.parse(again.stdout)).toMatchObject({ conflicts: 0, replaced: 0, audited: false });
    expect(await audit(home)).toHaveLength(1);
  });
});

describe('data import: implausible counts and bad files', () => {
  const home = join(root, 'plausibility');

  it('quarantines counts above maxHourlyCount, the bound taken from BIKE_RETRAIN_CONFIG', async () => {
    const file = join(root, 'peaks.csv');
    writeFileSync(
      file,
      [HEADER, line('c-1', 0, 150), line('c-1', 1, 100), line('c-1', 2, '1000000000000'), ''].join('\n'),
    );
    const config = join(root, 'config.json');
    writeFileSync(config, JSON.stringify({ drift: { quality: { maxHourlyCount: 100 } } }));
    const r = await runCli(home, ['data', 'import', file, '--json'], { BIKE_RETRAIN_CONFIG: config });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      loaded: 1,
      quarantined: 2,
      quarantinedByReason: { 'count above maxHourlyCount 100 (a sensor or export fault)': 2 },
    });
    const byDefault = await runCli(home, ['data', 'import', file]);
    expect(byDefault.stdout).toContain('loaded:      1\n'); // 150 is plausible under the default 10,000
    expect(byDefault.stdout).toContain('1 × count above maxHourlyCount 10000 (a sensor or export fault)');
    expect(await stored(home, 'c-1', 2)).toBeUndefined();
  });

  it('refuses a missing file and a header without the count column: exit 1, the file named, no stack trace', async () => {
    const missing = await runCli(home, ['data', 'import', join(root, 'nope.csv')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(`error: ${join(root, 'nope.csv')}: no such file or directory\n`);

    const file = join(root, 'no-count.csv');
    writeFileSync(file, [HEADER.replace('comptage_horaire', 'comptage'), line('c-1', 0, 3), ''].join('\n'));
    const r = await runCli(home, ['data', 'import', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^error: header lacks required column "comptage_horaire" .*\(file .*no-count\.csv, column "comptage_horaire", row 1\)\n$/,
    );
    expect(r.stderr).not.toMatch(STACK_FRAME);
  });
});

describe('data import and start-up: the hostile user’s other cases, as a spawned CLI', () => {
  const home = join(root, 'hostile');

  it('quarantines odd spellings of a count (hex, fraction, exponent, +3, blank) and accepts 03, 3.0 and -0', async () => {
    const file = join(root, 'odd.csv');
    const odd = ['0x1F', '2.5', '1e3', '+3', ''];
    const fine = ['03', '3.0', '-0'];
    writeFileSync(
      file,
      [HEADER, ...odd.map((c, i) => line('c-1', i, c)), ...fine.map((c, i) => line('c-2', i, c)), ''].join('\n'),
    );
    const r = await runCli(home, ['data', 'import', file, '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ loaded: 3, quarantined: 5 });
    expect(await stored(home, 'c-1', 0)).toBeUndefined();
    expect(await stored(home, 'c-2', 0)).toBe(3);
    expect(await stored(home, 'c-2', 2)).toBe(0);
  });

  it('reads every row of a file whose header ends in CRLF and rows in LF', async () => {
    const file = join(root, 'mixed.csv');
    writeFileSync(file, `${HEADER}\r\n${line('c-1', 40, 5)}\n${line('c-1', 41, 6)}\n`);
    const r = await runCli(home, ['data', 'import', file, '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ read: 2, loaded: 2 });
  });

  it('refuses a header-less 8 MB line at once, naming the file, with no stack trace', async () => {
    const file = join(root, 'one-line.csv');
    writeFileSync(file, 'x'.repeat(8 * 1024 * 1024));
    const r = await runCli(home, ['data', 'import', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('one-line.csv');
    expect(r.stderr).not.toMatch(STACK_FRAME);
  });

  it('gives each import of a same-named file its own quarantine file', async () => {
    const dirA = join(root, 'a');
    const dirB = join(root, 'b');
    for (const d of [dirA, dirB]) {
      mkdirSync(d, { recursive: true });
      writeFileSync(join(d, 'week.csv'), [HEADER, line('c-1', 60, '0x1F'), ''].join('\n'));
    }
    const a = await runCli(home, ['data', 'import', join(dirA, 'week.csv')]);
    const b = await runCli(home, ['data', 'import', join(dirB, 'week.csv')]);
    const path = (out: string) => /quarantine[^\n]*?(\/\S+\.csv)/.exec(out)?.[1];
    expect(path(a.stdout)).toBeDefined();
    expect(path(a.stdout)).not.toBe(path(b.stdout));
  });

  it('drift warns when the current window is more than 300 days from the reference', async () => {
    const ref = join(root, 'ref.csv');
    const cur = join(root, 'cur.csv');
    writeFileSync(ref, [HEADER, ...week(0), ''].join('\n'));
    writeFileSync(cur, [HEADER, ...week(400 * 24), ''].join('\n'));
    const r = await runCli(home, ['drift', '--reference', ref, '--current', cur, '--json']);
    expect(r.stderr).toMatch(
      /^warning: the current window \(2026-04-07 to 2026-04-13\) is 393 days after the reference/m,
    );
    expect(r.stderr).not.toMatch(STACK_FRAME);
  });

  it('drift bounds counts with the configured maxHourlyCount (BIKE_RETRAIN_CONFIG), as the weekly run does', async () => {
    const ref = join(root, 'ref-bound.csv');
    const cur = join(root, 'cur-bound.csv');
    writeFileSync(ref, [HEADER, ...week(0), ''].join('\n'));
    writeFileSync(cur, [HEADER, ...week(7 * 24), line(counters[0], 14 * 24, 900), ''].join('\n'));
    const config = join(root, 'bound-config.json');
    writeFileSync(config, JSON.stringify({ drift: { quality: { maxHourlyCount: 800 } } }));
    const bounded = await runCli(home, ['drift', '--reference', ref, '--current', cur], {
      BIKE_RETRAIN_CONFIG: config,
    });
    expect(bounded.stderr).toMatch(
      /cur-bound\.csv: 1 row\(s\) quarantined \(first: line \d+, count above maxHourlyCount 800/,
    );
    const unbounded = await runCli(home, ['drift', '--reference', ref, '--current', cur]);
    expect(unbounded.stderr).not.toMatch(/quarantined/);
  });

  it('refuses a malformed webhook URL at start without echoing it (a secret)', async () => {
    const r = await runCli(home, ['audit'], { BIKE_RETRAIN_WEBHOOK_URL: 'htp:/bad url' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: .*BIKE_RETRAIN_WEBHOOK_URL/);
    expect(r.stderr).not.toContain('htp:/bad url');
    expect(r.stderr).not.toMatch(STACK_FRAME);
  });
});
