import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { forEachLine } from '../../../src/data/line-splitter';

const dir = mkdtempSync(join(tmpdir(), 'line-splitter-'));

async function linesOf(content: string): Promise<[string, number, boolean][]> {
  const p = join(dir, 'f.csv');
  writeFileSync(p, content);
  const out: [string, number, boolean][] = [];
  await forEachLine(p, (text, line, terminated) => out.push([text, line, terminated]));
  return out;
}

describe('forEachLine', () => {
  it('splits across its 4 MB reads exactly as a split of the whole text, multi-byte characters included', async () => {
    const lines: string[] = [];
    for (let i = 0, chars = 0; chars < 9_500_000; i++) {
      lines.push(`${i};é€😀;${'x'.repeat(i % 997)}`);
      chars += lines[i].length + 2;
    }
    const text = lines.map((l, i) => l + (i % 3 ? '\n' : '\r\n')).join('');
    const got = await linesOf(text);
    expect(got.length).toBe(lines.length);
    expect(got.every(([t, n, term], i) => t === lines[i] && n === i + 1 && term)).toBe(true);
  });

  it('grows for a line longer than its buffer, and keeps a last line without a terminator', async () => {
    const long = 'y'.repeat(9 << 20);
    expect(await linesOf(`a\n${long}\r\nlast\r`)).toEqual([
      ['a', 1, true],
      [long, 2, true],
      ['last\r', 3, false],
    ]);
  });

  it('skips a leading BOM only', async () => {
    expect(await linesOf('\uFEFFh\n\uFEFFx')).toEqual([
      ['h', 1, true],
      ['\uFEFFx', 2, false],
    ]);
  });
});
