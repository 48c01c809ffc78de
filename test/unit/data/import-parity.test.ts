import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { countTableFromRows } from '../../../src/core/counts';
import { importCountsFile, setAsideInFileConflicts } from '../../../src/data/open-data-import';
import { IN_FILE_CONFLICT, type QuarantinedRow } from '../../../src/data/quarantine';
import { simulateCounts, writeOpenDataCsv } from '../../../src/data/simulator';
import { importCountsFileCsvParse } from '../../support/csv-parse-import';
import { importOutcome } from '../../support/import-outcome';
import { mutateText } from '../../support/text-mutations';
import { RAW_SAMPLE } from './real-paris-data';

/**
 * The line splitter must read every file as the csv-parse reader it replaced did: the same
 * rows, quarantined rows (lines, reasons, columns, raw text), conflicts, counts and errors.
 * Hostile files written by hand, then thousands of random mutations of real lines.
 */
const dir = mkdtempSync(join(tmpdir(), 'import-parity-'));

const outcome = (f: typeof importCountsFile, path: string, options: { parallelFromBytes?: number } = {}) =>
  importOutcome(f, path, { maxHourlyCount: 500, ...options });

/**
 * With `parallel`, the file is also read on two threads (cut at a LF near its middle, as a large file
 * is: see parallel-parse.ts), which must give the same outcome. A worker's start costs tens of ms,
 * so not for every mutation.
 */
async function expectParity(name: string, content: string | Buffer, parallel = true): Promise<void> {
  const p = join(dir, name);
  writeFileSync(p, content);
  const fast = await outcome(importCountsFile, p);
  const reference = await outcome(importCountsFileCsvParse, p);
  expect(fast, name).toEqual(reference);
  if (parallel)
    expect(await outcome(importCountsFile, p, { parallelFromBytes: 0 }), `${name} on two threads`).toEqual(reference);
}

const sample = readFileSync(RAW_SAMPLE, 'utf8')
  .split('\r\n')
  .filter((l) => l !== '');
const RAW_HEADER =
  'comptage_horaire,date_et_heure_de_comptage,identifiant_du_compteur,nom_du_compteur,latitude,longitude';

describe('the line splitter reads hostile files as the csv-parse reader did', () => {
  const cases: Record<string, string | Buffer> = {
    'bom + lf': '\uFEFF' + sample.join('\n'),
    'mixed ends, no final newline': sample
      .map((l, i) => l + (i % 2 ? '\n' : '\r\n'))
      .join('')
      .trimEnd(),
    'empty lines between rows': sample.slice(0, 4).join('\r\n\r\n\n') + '\n\n',
    'empty lines before the header': '\n\r\n' + sample.slice(0, 3).join('\n'),
    'whitespace lines': sample.slice(0, 3).join('\n \n') + '\n\t\n',
    'lone CR inside a line and at the end': sample.slice(0, 3).join('\r\r\n').replace(';3.0;', ';3.0\r;') + '\r',
    'quoted fields: delimiter, doubled quote, empty': [
      sample[0],
      sample[1].replace('97 avenue Denfert Rochereau SO-NE', '"97 avenue; ""Denfert"" SO-NE"'),
      sample[2].replace('3.0', '""').replace(';0.0;', ';"0.0";'),
      sample[3].replace('48.83504,2.33314', '"48.83504,2.33314"'),
    ].join('\r\n'),
    'malformed quotes': [
      sample[0],
      sample[1].replace(';', ';"'),
      sample[2].replace(';', ';"x"y'),
      sample[3].replace('SO-NE', 'SO"NE'),
      sample[4],
      '"',
      sample[5],
    ].join('\n'),
    'malformed quotes in the header': sample[0].replace(';', ';"') + '\n' + sample.slice(1, 3).join('\n'),
    'quoted header':
      sample[0]
        .split(';')
        .map((h) => `"${h}"`)
        .join(';') +
      '\n' +
      sample.slice(1, 3).join('\n'),
    'ragged rows': [sample[0], sample[1] + ';extra', sample[2].split(';').slice(0, 5).join(';'), ';', sample[3]].join(
      '\n',
    ),
    'in-file conflicts and repeats': [
      sample[0],
      sample[1],
      sample[1],
      sample[1].replace(';3.0;', ';4.0;'),
      sample[2],
    ].join('\n'),
    'only a header': sample[0] + '\r\n',
    'empty file': '',
    'only empty lines': '\n\r\n\n',
    'header lacking a column': sample[0].replace('Comptage horaire', 'Comptage') + '\n' + sample[1],
    'raw table, comma, quoted names': [
      RAW_HEADER,
      '3.0,2021-09-01 01:00:00 UTC,c-1,"Counter, one",48.8,2.3',
      '600,2021-09-01T02:00:00Z,c-1,Counter 1,48.8,2.3',
      '1e2,2021-09-01T03:00:00Z,c-1,Counter 1,48.8,2.3',
      '4,2021-09-01T04:00:00,c-1,Counter 1, 48.8,0x10',
      '5,2021-09-01T05:00:00Z,c-1,Counter 1,,2.3',
      '',
    ].join('\n'),
    'utf-8 names and invalid bytes': Buffer.concat([
      Buffer.from(sample.slice(0, 2).join('\n') + '\n'),
      Buffer.from(sample[2].replace('Denfert', 'Denf\u00e9rt')),
      Buffer.from([0x0a, 0xff, 0xc3, 0x3b]),
      Buffer.from(sample[3].slice(1)),
      Buffer.from('\n'),
    ]),
    // The importer reads lines as bytes and decodes only those with a byte outside ASCII in a field
    // it checks: Number() takes U+00A0 and U+2028 as spaces, a lone 0xA0 byte is not UTF-8.
    'bytes outside ascii in the checked fields': Buffer.concat([
      Buffer.from(sample[0] + '\n'),
      Buffer.from(sample[1].replace('48.83504,', '48.83504\u00a0,') + '\n'),
      Buffer.from(sample[2].replace(',2.33314', ',2.33314\u2028') + '\n'),
      Buffer.from(sample[3].replace(';', '\u00e9;') + '\n'),
      Buffer.from(sample[4].replace(';0.0;', ';0.0\u00a0;').replace(';1.0;', ';1.0\u00a0;') + '\r\n'),
      ...[1, 2, 3].map((i) => {
        const [before, after] = [sample[i].slice(0, sample[i].indexOf(',')), sample[i].slice(sample[i].indexOf(','))];
        return Buffer.concat([Buffer.from(before), Buffer.from([0xa0]), Buffer.from(after + '\n')]);
      }),
      Buffer.concat([Buffer.from(sample[4].replace(';1.0;', ';1.0')), Buffer.from([0xa0]), Buffer.from('\n')]),
    ]),
  };
  for (const [name, content] of Object.entries(cases)) it(name, () => expectParity(name.replace(/\W+/g, '-'), content));

  it('a simulated bad-rows file with mixed line ends and photo links', async () => {
    const t = simulateCounts({
      scenario: 'bad-rows',
      fromMs: Date.parse('2024-10-20T00:00:00Z'),
      toMs: Date.parse('2024-10-30T00:00:00Z'),
      counters: 4,
      seed: 3,
    });
    const p = join(dir, 'bad-rows-mixed.csv');
    await writeOpenDataCsv(t, p, { corrupt: { seed: 3, every: 40 }, photoLinks: true, lineEnds: 'mixed' });
    await expectParity('bad-rows-mixed.csv', readFileSync(p));
  });

  it('1,500 random mutations of real lines, both formats (quotes, delimiters, line ends, BOMs)', async () => {
    const pieces = ['"', ';', ',', '\r', '\n', '\r\n', '""', ' ', '\uFEFF', 'é', '-', '0', '.', 'T', 'Z', '+02:00'];
    const bases = [
      sample.slice(0, 6).join('\r\n') + '\r\n',
      [
        RAW_HEADER,
        '3.0,2021-09-01 01:00:00 UTC,c-1,"Counter, one",48.8,2.3',
        '7,2021-09-01T02:00:00Z,c-1,C,48.8,2.3',
      ].join('\n'),
    ];
    for (let k = 0; k < 1500; k++) {
      const s = mutateText(bases[k % 3 === 2 ? 1 : 0], k, pieces, { maxDelete: 8 });
      await expectParity(`fuzz-${k}.csv`, s, k % 25 === 0);
    }
  }, 120_000);
});

describe('in-file conflicts, with the quick look for repeated keys in front', () => {
  const row = (id: string, h: number, count: number) => ({
    counterId: id,
    counterName: id,
    siteId: id,
    timestampMs: Date.UTC(2024, 0, 1, h),
    count,
    lat: 48.8,
    lon: 2.3,
  });

  it('returns the table itself when no key repeats, and sets aside every row of a disputed key', () => {
    const clean = countTableFromRows([row('a', 1, 3), row('b', 1, 3), row('a', 2, 3), row('a', 0, 9)]);
    const q: QuarantinedRow[] = [];
    expect(setAsideInFileConflicts(clean, [2, 3, 4, 5], q).table).toBe(clean);
    // Each counter's hours climbing (told without a sort), then the same with one hour repeated.
    const climbing = countTableFromRows([row('a', 1, 3), row('b', 1, 3), row('a', 2, 3), row('b', 5, 9)]);
    expect(setAsideInFileConflicts(climbing, [2, 3, 4, 5], q).table).toBe(climbing);
    expect(q).toEqual([]);
    const repeated = countTableFromRows([row('a', 1, 3), row('b', 1, 3), row('b', 1, 4), row('a', 2, 3)]);
    expect(setAsideInFileConflicts(repeated, [2, 3, 4, 5], q).lines).toEqual([2, 5]);
    q.length = 0;

    const disputed = countTableFromRows([
      row('a', 1, 3),
      row('b', 1, 3),
      row('a', 1, 3),
      row('b', 1, 4),
      row('a', 2, 1),
    ]);
    const r = setAsideInFileConflicts(disputed, [2, 3, 4, 5, 6], q);
    expect(r.lines).toEqual([2, 4, 6]);
    expect(q.map((x) => [x.line, x.reason])).toEqual([
      [3, IN_FILE_CONFLICT],
      [5, IN_FILE_CONFLICT],
    ]);
    expect(q[0].detail).toBe('counter b at 2024-01-01T01:00:00.000Z: 3 (line 3), 4 (line 5)');
  });
});

describe('open-data writer: the benchmark file options', () => {
  it('fills the photo links at the real export sample width and ends about one line in seven with LF', async () => {
    const t = simulateCounts({
      scenario: 'stable',
      fromMs: Date.parse('2024-03-01T00:00:00Z'),
      toMs: Date.parse('2024-03-02T00:00:00Z'),
      counters: 3,
      seed: 2,
    });
    const p = join(dir, 'wide-mixed.csv');
    await writeOpenDataCsv(t, p, { photoLinks: true, lineEnds: 'mixed' });
    const text = readFileSync(p, 'utf8');
    const lines = text.split('\n').slice(0, -1);
    const lf = lines.filter((l) => !l.endsWith('\r')).length;
    expect(lf).toBe(Math.floor((t.length + 3) / 7));
    const fields = lines[1].replace(/\r$/, '').split(';');
    const sampleLink = readFileSync(RAW_SAMPLE, 'utf8').split('\r\n')[1].split(';')[7];
    expect(fields[7]).toMatch(
      /^https:\/\/filer\.eco-counter-tools\.com\/file\/[0-9a-f]{2}\/[0-9a-f]{64}\/Y\d+_\d+\.jpg$/,
    );
    expect(fields[7].length).toBe(sampleLink.length);
    const back = await importCountsFile(p);
    expect(back.quarantined).toEqual([]);
    expect(back.table).toEqual(t);
  });
});
