import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { assembleKernel } from '../../../scripts/kernel-assembler';
import { COUNT_LINE_KERNEL_WASM } from '../../../src/data/count-line-kernel-wasm';
import { CountLineKernel } from '../../../src/data/count-line-kernel';
import { importCountsFile } from '../../../src/data/open-data-import';
import { importOutcome } from '../../support/import-outcome';
import { mutateText } from '../../support/text-mutations';
import { RAW_SAMPLE } from './real-paris-data';

/**
 * The line kernel (count-line-kernel.wat) must read a file as the JavaScript reference does: the
 * same rows to the bit (-0 included), lines, quarantine and errors. Each case is imported both ways.
 */
const dir = mkdtempSync(join(tmpdir(), 'count-line-kernel-'));

const outcome = (path: string, lineKernel: boolean, parallelFromBytes = Infinity) =>
  importOutcome(importCountsFile, path, { maxHourlyCount: 500, lineKernel, parallelFromBytes });

async function expectSame(name: string, content: string | Buffer, parallel = false): Promise<unknown> {
  const p = join(dir, name);
  writeFileSync(p, content);
  const reference = await outcome(p, false);
  expect(await outcome(p, true), name).toEqual(reference);
  if (parallel) expect(await outcome(p, true, 0), `${name} on two threads`).toEqual(reference);
  return reference;
}

const sample = readFileSync(RAW_SAMPLE, 'utf8')
  .split('\r\n')
  .filter((l) => l !== '');
const HEADER = sample[0];
const fieldsOf = (line: string) => line.split(';');
// Export fields by index: 0 id, 1 name, 2 site id, 4 count, 5 timestamp, 8 coordinates.
const base = fieldsOf(sample[1]);
// Each line its own counter unless the edit sets one: the file's repeats of a counter and hour
// with other counts would set the rows aside as in-file conflicts.
let lineNo = 0;
const line = (edit: Record<number, string>) =>
  base.map((f, i) => edit[i] ?? (i === 0 ? `${f}${lineNo++}` : f)).join(';');

const counts = [
  '15.0',
  '0',
  '015',
  '15.',
  '15.00',
  '-0',
  '-3',
  '1e3',
  ' 15',
  '15 ',
  '+3',
  '2.5',
  '500',
  '500.0',
  '501',
  '999999999999999',
  '9999999999999999',
  '',
  '0x1F',
  '٣',
  '15.0\u00a0',
];
const stamps = [
  '2021-09-01T03:00:00+02:00',
  '2021-09-01T03:00:00Z',
  '2021-09-01t03:00z',
  '2021-09-01 03:00:00 UTC',
  '2021-09-01T03:00:00',
  '2021-09-01T03:00',
  '2021-09-01T03:00:00.5+02:00',
  '2021-09-01T03:00:00+0200',
  '2021-09-01T03:00:00+02',
  '2021-09-01T03:00:00-14:59',
  '2021-09-01T03:00:00+15:00',
  '2024-02-29T00:00:00Z',
  '2023-02-29T00:00:00Z',
  '2021-09-01T24:00:00Z',
  '0099-09-01T03:00:00Z',
  '0100-03-01T00:00:00Z',
  '1600-02-29T12:00Z',
  '2021-13-01T03:00:00Z',
  '2021-09-01T03:60:00Z',
  '2021-09-01T03:00:60Z',
  '2021-09-01T03:00:0Z',
  '2021-09-01X03:00Z',
  '2021-09-01T03:00:00 utc',
  '2021-09-01T03:00:00+02:0',
  '9999-12-31T23:59:59-14:00',
];
const coords = [
  '48.83504,2.33314',
  '48.8,2.3',
  '-0.0,0',
  '48.,2.3',
  '.5,2.3',
  '48.8, 2.3',
  '48.8 ,2.3',
  '91,2.3',
  '90,180',
  '-90,-180',
  '48.8,2.3,1',
  ',2.3',
  '48.8,',
  '123456789012345,1',
  '1234567890123456,1',
  '48.83492000000001,2.3',
  '0.1234567890123456,1',
  '4e1,2',
  '0048.8,002.3',
  '48.8,-180.0000000000001',
  'nan,1',
  '-,1',
  '48.8;2.3',
];
const names = ['97 avenue Denfert Rochereau SO-NE', '', 'Boulevard de Ménilmontant', 'quai\u00a0d’Orsay', 'x'];

describe('the line kernel', () => {
  it('is the assembly of count-line-kernel.wat', async () => {
    const wat = readFileSync(join(__dirname, '../../../src/data/count-line-kernel.wat'), 'utf8');
    expect(Buffer.from(await assembleKernel(wat, 'count-line-kernel.wat')).toString('base64')).toBe(
      COUNT_LINE_KERNEL_WASM,
    );
  });

  it('reads every count, timestamp, coordinate and name variant as the reference does', async () => {
    const lines = [HEADER];
    for (const c of counts) lines.push(line({ 4: c }));
    for (const s of stamps) lines.push(line({ 5: s }));
    for (const c of coords) lines.push(line({ 8: c }));
    for (const n of names) lines.push(line({ 1: n }), line({ 1: n, 2: '' }), line({ 0: `${n}-7`, 2: '' }));
    lines.push(
      line({ 0: '' }),
      line({ 3: 'a\rb' }),
      line({ 3: 'a"b' }),
      `${line({})};extra`,
      base.slice(1).join(';'),
      '',
    );
    const scan = vi.spyOn(CountLineKernel.prototype, 'scan');
    const reference = (await expectSame('variants.csv', lines.join('\r\n') + '\n')) as { table: { length: number } };
    const accepted = scan.mock.results
      .map((r) => r.value as { scanned: { key: Int32Array; lines: number } })
      .reduce((n, { scanned }) => n + scanned.key.subarray(0, scanned.lines).filter((k) => k >= 0).length, 0);
    scan.mockRestore();
    // The kernel took the plain variants and handed back the others; the reference kept as many more.
    expect(reference.table.length).toBeGreaterThan(45);
    expect(accepted).toBeGreaterThan(30);
    expect(accepted).toBeLessThan(reference.table.length);
  });

  it('takes its lines from the kernel (spied), and hands a line back when it is unsure', async () => {
    const scan = vi.spyOn(CountLineKernel.prototype, 'scan');
    const p = join(dir, 'spied.csv');
    writeFileSync(
      p,
      [
        HEADER,
        line({ 0: 'a-1' }),
        line({ 0: 'a-1', 4: '-0', 5: '2021-09-01T04:00:00Z' }),
        line({ 0: 'a-1', 5: '2021-09-01T05:00:00Z' }),
        '',
      ].join('\n'),
    );
    const r = await importCountsFile(p, { parallelFromBytes: Infinity });
    expect(scan).toHaveBeenCalled();
    const lines = scan.mock.results[0].value as { scanned: { key: Int32Array; lines: number } };
    expect([...lines.scanned.key.subarray(0, lines.scanned.lines)]).toEqual([0, -1, 0]);
    expect(r.table.count[1]).toBe(0);
    scan.mockRestore();
  });

  it('reads 600 random mutations of real lines as the reference does, on one thread and on two', async () => {
    const pieces = ['"', ';', ',', '\r', '\n', '\r\n', ' ', '\u00a0', 'é', '-', '0', '9', '.', 'T', 'Z', '+02:00', ':'];
    const text = sample.slice(0, 8).join('\r\n') + '\n';
    for (let k = 0; k < 600; k++) {
      // Edits after the header, where the kernel reads.
      const s = mutateText(text, k, pieces, { from: HEADER.length + 2, salt: 10, maxDelete: 6 });
      await expectSame(`fuzz-${k}.csv`, s, k % 50 === 0);
    }
  }, 120_000);

  it('reads the raw table format, its lat and lon apart and naive timestamps as UTC', async () => {
    const rows = [
      'comptage_horaire,date_et_heure_de_comptage,identifiant_du_compteur,nom_du_compteur,latitude,longitude',
      '3.0,2021-09-01 01:00:00 UTC,c-1,C 1,48.8,2.3',
      '7,2021-09-01T02:00:00,c-1,C 1,48.8,2.3',
      '7,2021-09-01T03:00:00,c-2,C 2,-0,2.3',
      '7,2021-09-01T03:00:00,c-3,C 3,48.8, 2.3',
      '7,2021-09-01T04:00:00,c-3,C 3,,2.3',
    ];
    await expectSame('raw.csv', rows.join('\n'));
  });

  it('keeps the reference for new counters once its 2,048 keys are handed out', async () => {
    const lines = [HEADER];
    for (let i = 0; i < 2100; i++)
      lines.push(line({ 0: `c${i}-1`, 2: `c${i}` }), line({ 0: `c${i % 7}-1`, 2: `c${i % 7}` }));
    await expectSame('many-counters.csv', lines.join('\n') + '\n');
  });

  it('reads lines longer than its 4 MB window, a BOM, CR-only ends and a last line without a LF', async () => {
    const long = `${line({ 7: 'y'.repeat(5 << 20) })}`;
    await expectSame('long.csv', `\uFEFF${HEADER}\r\n${line({})}\n${long}\r\n${line({ 4: '3.0' })}\r${line({})}\r`);
    await expectSame('long-first.csv', `${HEADER};${'z'.repeat(5 << 20)}\n${line({})}\n`);
    await expectSame('long-last.csv', `${HEADER}\n${line({})}\n${long}`);
    await expectSame('bom-only.csv', '\uFEFF');
    await expectSame('header-only.csv', `${HEADER}\n`);
  }, 60_000);
});
