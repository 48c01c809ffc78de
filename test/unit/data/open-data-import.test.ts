import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rowAt } from '../../../src/core/counts';
import { BadInputError } from '../../../src/core/errors';
import { importCountsFile } from '../../../src/data/open-data-import';
import { simulateCounts, writeOpenDataCsv } from '../../../src/data/simulator';
import { parseInstant } from '../../../src/data/parse-instant';
import { RAW_SAMPLE } from './real-paris-data';

const dir = mkdtempSync(join(tmpdir(), 'import-'));

// The 21 rows of test/fixtures/paris/paris-counters-raw-sample.csv, in file order: (Comptage horaire, Date et heure de comptage).
// Attribution: data © Ville de Paris, ODbL.
const SAMPLE: [number, string][] = [
  [3, '2021-09-01T03:00:00+02:00'],
  [16, '2021-09-01T06:00:00+02:00'],
  [0, '2021-09-01T04:00:00+02:00'],
  [5, '2021-09-01T05:00:00+02:00'],
  [63, '2021-09-01T07:00:00+02:00'],
  [62, '2021-09-01T15:00:00+02:00'],
  [193, '2021-09-01T09:00:00+02:00'],
  [280, '2021-09-01T08:00:00+02:00'],
  [53, '2021-09-01T20:00:00+02:00'],
  [85, '2021-09-01T10:00:00+02:00'],
  [70, '2021-09-01T13:00:00+02:00'],
  [28, '2021-09-01T21:00:00+02:00'],
  [57, '2021-09-01T11:00:00+02:00'],
  [76, '2021-09-01T16:00:00+02:00'],
  [19, '2021-09-01T22:00:00+02:00'],
  [76, '2021-09-01T12:00:00+02:00'],
  [100, '2021-09-01T17:00:00+02:00'],
  [14, '2021-09-01T23:00:00+02:00'],
  [71, '2021-09-01T14:00:00+02:00'],
  [173, '2021-09-01T18:00:00+02:00'],
  [136, '2021-09-01T19:00:00+02:00'],
];

describe('import of the real Paris open-data export', () => {
  it('imports the 21 real rows exactly, field by field', async () => {
    const r = await importCountsFile(RAW_SAMPLE);
    expect(r.format).toBe('open-data');
    expect(r.rowsRead).toBe(21);
    expect(r.quarantined).toEqual([]);
    expect(r.table.length).toBe(21);
    SAMPLE.forEach(([count, iso], i) => {
      expect(rowAt(r.table, i)).toEqual({
        counterId: '100003096-353242251',
        counterName: '97 avenue Denfert Rochereau SO-NE',
        siteId: '100003096',
        timestampMs: Date.parse(iso),
        count,
        lat: 48.83504,
        lon: 2.33314,
      });
    });
    expect(new Date(r.table.timestampMs[0]).toISOString()).toBe('2021-09-01T01:00:00.000Z');
  });

  it('reads the same rows with a BOM and LF line ends', async () => {
    const text = readFileSync(RAW_SAMPLE, 'utf8');
    const p = join(dir, 'bom-lf.csv');
    writeFileSync(p, '\uFEFF' + text.replace(/\r\n/g, '\n'));
    const a = await importCountsFile(RAW_SAMPLE);
    const b = await importCountsFile(p);
    expect(b.quarantined).toEqual([]);
    expect(b.table).toEqual(a.table);
  });

  it('reads mixed line ends line by line: a CRLF header with LF rows, and LF with a CRLF row', async () => {
    const lines = readFileSync(RAW_SAMPLE, 'utf8')
      .split('\r\n')
      .filter((l) => l !== '');
    const a = await importCountsFile(RAW_SAMPLE);
    const crlfHeader = join(dir, 'crlf-header.csv');
    writeFileSync(crlfHeader, lines[0] + '\r\n' + lines.slice(1).join('\n') + '\n');
    const mixed = join(dir, 'mixed.csv');
    writeFileSync(mixed, lines.map((l, i) => l + (i % 3 === 0 ? '\r\n' : '\n')).join(''));
    for (const p of [crlfHeader, mixed]) {
      const r = await importCountsFile(p);
      expect(r.rowsRead).toBe(lines.length - 1);
      expect(r.quarantined).toEqual([]);
      expect(r.table).toEqual(a.table);
    }
  });

  it('refuses a file whose header lacks a required column, naming it', async () => {
    const lines = readFileSync(RAW_SAMPLE, 'utf8').split('\r\n');
    const p = join(dir, 'no-count.csv');
    writeFileSync(p, [lines[0].replace('Comptage horaire', 'Comptage'), ...lines.slice(1)].join('\r\n'));
    const err = await importCountsFile(p).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadInputError);
    expect((err as BadInputError).location).toMatchObject({ file: p, column: 'Comptage horaire', row: 1 });
    expect((err as Error).message).toContain('"Comptage horaire"');
  });
});

describe('quarantine of bad rows', () => {
  it('keeps every corrupted line of a bad-rows file aside with its line number and reason', async () => {
    const t = simulateCounts({
      scenario: 'bad-rows',
      fromMs: Date.parse('2024-03-01T00:00:00Z'),
      toMs: Date.parse('2024-03-15T00:00:00Z'),
      counters: 6,
      seed: 5,
    });
    const p = join(dir, 'bad-rows.csv');
    const w = await writeOpenDataCsv(t, p, { corrupt: { seed: 5, every: 50 } });
    expect(w.corrupted.length).toBeGreaterThan(20);
    const r = await importCountsFile(p);
    expect(r.rowsRead).toBe(t.length);
    expect(r.table.length).toBe(t.length - w.corrupted.length);
    expect(r.quarantined.map((q) => q.line)).toEqual(w.corrupted.map((c) => c.line));
    const expectedReason = {
      'bad-timestamp': 'unparseable timestamp',
      'negative-count': 'negative count',
      'non-numeric-count': 'non-numeric count',
      'bad-coordinates': 'bad coordinates',
      'missing-fields': 'expected 16 fields, got 6',
      'empty-counter-id': 'empty counter id',
    } as const;
    r.quarantined.forEach((q, i) => expect(q.reason).toBe(expectedReason[w.corrupted[i].kind]));
    expect(new Set(w.corrupted.map((c) => c.kind)).size).toBe(6);
    // The line number points at the file's own line.
    const lines = readFileSync(p, 'utf8').split('\r\n');
    expect(lines[r.quarantined[0].line - 1]).toBe(r.quarantined[0].raw);
  });

  it('quarantines lines with broken quotes without losing the lines around them', async () => {
    const t = simulateCounts({
      scenario: 'stable',
      fromMs: Date.parse('2024-03-01T00:00:00Z'),
      toMs: Date.parse('2024-03-01T03:00:00Z'),
      counters: 2,
      seed: 1,
    });
    const p = join(dir, 'quote.csv');
    await writeOpenDataCsv(t, p);
    const lines = readFileSync(p, 'utf8').split('\r\n');
    lines[3] = lines[3].replace(';', ';"'); // line 4: an opening quote never closed
    lines[5] = lines[5].replace(';', ';"x"y'); // line 6: balanced, but text after the closing quote
    lines[6] = lines[6].replace(/;([^;]*);/, ';"$1";'); // line 7: properly quoted, fine
    writeFileSync(p, lines.join('\r\n'));
    const r = await importCountsFile(p);
    expect(r.rowsRead).toBe(t.length);
    expect(r.table.length).toBe(t.length - 2);
    expect(r.quarantined.map((q) => q.line)).toEqual([4, 6]);
    expect(r.quarantined[0]).toMatchObject({ reason: 'malformed quotes', raw: lines[3] });
    expect(r.quarantined[1]).toMatchObject({ reason: 'malformed quotes', raw: lines[5] });
  });
});

describe('plausibility: counts above maxHourlyCount', () => {
  const header =
    'comptage_horaire,date_et_heure_de_comptage,identifiant_du_compteur,nom_du_compteur,latitude,longitude';
  const row = (count: string, hour: number) =>
    `${count},2021-09-01T${String(hour).padStart(2, '0')}:00:00Z,c-1,Counter 1,48.8,2.3`;

  it('quarantines a count above the bound (default 10,000) with its reason, line and column', async () => {
    const p = join(dir, 'poisoned.csv');
    writeFileSync(
      p,
      [header, row('10000', 1), row('10001', 2), row('1000000000000', 3), row('1e12', 4), row('12', 5), ''].join('\n'),
    );
    const r = await importCountsFile(p);
    expect(r.rowsRead).toBe(5);
    expect(Array.from(r.table.count)).toEqual([10000, 12]);
    expect(r.quarantined.map((q) => [q.line, q.reason, q.column])).toEqual([
      [3, 'count above maxHourlyCount 10000 (a sensor or export fault)', 'comptage_horaire'],
      [4, 'count above maxHourlyCount 10000 (a sensor or export fault)', 'comptage_horaire'],
      [5, 'count not a plain whole number', 'comptage_horaire'],
    ]);
    expect(r.quarantined[1].raw).toContain('1000000000000');
  });

  it('takes the bound from the caller (the run config)', async () => {
    const p = join(dir, 'bound.csv');
    writeFileSync(p, [header, row('500', 1), row('501', 2), ''].join('\n'));
    const r = await importCountsFile(p, { maxHourlyCount: 500 });
    expect(Array.from(r.table.count)).toEqual([500]);
    expect(r.quarantined).toMatchObject([
      { line: 3, reason: 'count above maxHourlyCount 500 (a sensor or export fault)' },
    ]);
  });
});

describe('import of the raw table columns', () => {
  it('reads a comma-separated export with UTC timestamps and optional site id', async () => {
    const p = join(dir, 'raw.csv');
    writeFileSync(
      p,
      [
        'comptage_horaire,date_et_heure_de_comptage,identifiant_du_compteur,nom_du_compteur,latitude,longitude',
        '3.0,2021-09-01 01:00:00 UTC,100003096-353242251,97 avenue Denfert Rochereau SO-NE,48.83504,2.33314',
        '16,2021-09-01T06:00:00+02:00,100003096-353242251,97 avenue Denfert Rochereau SO-NE,48.83504,2.33314',
        '-1,2021-09-01T07:00:00Z,100003096-353242251,97 avenue Denfert Rochereau SO-NE,48.83504,2.33314',
        '5,2021-09-01T08:00:00Z,100003096-353242251,97 avenue Denfert Rochereau SO-NE,,2.33314',
        '',
      ].join('\n'),
    );
    const r = await importCountsFile(p);
    expect(r.format).toBe('raw-table');
    expect(r.table.length).toBe(2);
    expect(rowAt(r.table, 0)).toEqual({
      counterId: '100003096-353242251',
      counterName: '97 avenue Denfert Rochereau SO-NE',
      siteId: '100003096',
      timestampMs: Date.parse('2021-09-01T01:00:00Z'),
      count: 3,
      lat: 48.83504,
      lon: 2.33314,
    });
    expect(r.table.timestampMs[1]).toBe(Date.parse('2021-09-01T04:00:00Z'));
    expect(r.quarantined.map((q) => [q.line, q.reason, q.column])).toEqual([
      [4, 'negative count', 'comptage_horaire'],
      [5, 'bad coordinates', 'latitude'],
    ]);
  });

  it('refuses a raw export lacking longitude, naming the column', async () => {
    const p = join(dir, 'raw-missing.csv');
    writeFileSync(
      p,
      'comptage_horaire,date_et_heure_de_comptage,identifiant_du_compteur,nom_du_compteur,latitude\n1,2021-09-01T01:00:00Z,a-1,a,48.8\n',
    );
    await expect(importCountsFile(p)).rejects.toThrow(/"longitude"/);
    // On two threads too (a large file's parse): the worker, failing on the same header, stays quiet.
    const many = join(dir, 'raw-missing-many.csv');
    writeFileSync(many, readFileSync(p, 'utf8') + '2,2021-09-01T02:00:00Z,a-1,a,48.8\n'.repeat(2000));
    await expect(importCountsFile(many, { parallelFromBytes: 0 })).rejects.toThrow(/"longitude"/);
  });

  it('refuses an empty file', async () => {
    const p = join(dir, 'empty.csv');
    writeFileSync(p, '');
    await expect(importCountsFile(p)).rejects.toThrow(BadInputError);
  });
});

describe('timestamp parsing', () => {
  it('reads offsets and refuses impossible dates', () => {
    expect(parseInstant('2021-09-01T03:00:00+02:00', 'reject')).toBe(Date.parse('2021-09-01T01:00:00Z'));
    expect(parseInstant('2021-12-01T03:00:00+0100', 'reject')).toBe(Date.parse('2021-12-01T02:00:00Z'));
    expect(parseInstant('2021-12-01 03:00:00.5Z', 'reject')).toBe(Date.parse('2021-12-01T03:00:00.500Z'));
    expect(parseInstant('2021-12-01T03:00-03', 'reject')).toBe(Date.parse('2021-12-01T06:00:00Z'));
    expect(parseInstant('2021-12-01T03:00:00', 'utc')).toBe(Date.parse('2021-12-01T03:00:00Z'));
    expect(parseInstant('2021-12-01T03:00:00', 'reject')).toBeNaN();
    expect(parseInstant('2021-02-29T03:00:00Z', 'reject')).toBeNaN();
    expect(parseInstant('2024-02-29T03:00:00Z', 'reject')).toBe(Date.parse('2024-02-29T03:00:00Z'));
    expect(parseInstant('2021-09-01T24:00:00+02:00', 'reject')).toBeNaN();
    expect(parseInstant('2021-09-01 25h', 'reject')).toBeNaN();
    expect(parseInstant('01/09/2021 03:00', 'utc')).toBeNaN();
  });
});

describe('open-data writer', () => {
  it('writes the header line byte for byte as the real export, CRLF, no BOM, and reads back identical rows', async () => {
    const t = simulateCounts({
      scenario: 'stable',
      fromMs: Date.parse('2024-10-26T20:00:00Z'),
      toMs: Date.parse('2024-10-27T04:00:00Z'),
      counters: 3,
      seed: 4,
    });
    const p = join(dir, 'written.csv');
    await writeOpenDataCsv(t, p);
    const bytes = readFileSync(p);
    const realHeader = readFileSync(RAW_SAMPLE).subarray(0, readFileSync(RAW_SAMPLE).indexOf('\r\n') + 2);
    expect(bytes.subarray(0, realHeader.length).equals(realHeader)).toBe(true);
    expect(bytes[0]).not.toBe(0xef);
    const lines = bytes.toString('utf8').split('\r\n');
    expect(lines.some((l) => l.includes('\n'))).toBe(false);
    // The autumn switch night: 02:00 local appears with +02:00 then +01:00.
    expect(lines.some((l) => l.includes(';2024-10-27T02:00:00+02:00;'))).toBe(true);
    expect(lines.some((l) => l.includes(';2024-10-27T02:00:00+01:00;'))).toBe(true);
    const back = await importCountsFile(p);
    expect(back.quarantined).toEqual([]);
    expect(back.table).toEqual(t);
  });
});

describe('a huge header-less line', () => {
  it('is refused at once, naming the file and row 1, without reading the line', async () => {
    const p = join(dir, 'huge-line.csv');
    writeFileSync(p, Buffer.alloc(50 * 1024 * 1024, 'x'));
    const err = await importCountsFile(p).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadInputError);
    expect((err as Error).message).toMatch(
      /no header line: the first line is longer than 64 KB \(file .*huge-line\.csv, row 1\)/,
    );
  });
});
