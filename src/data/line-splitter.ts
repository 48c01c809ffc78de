import { open } from 'node:fs/promises';

const NL = 0x0a;
const CHUNK_BYTES = 4 << 20;
const DECODE_BYTES = 512 << 10;

/** Bytes [start, end) of a file: a range read on its own ends at `end` as a file would. */
export interface ByteRange {
  start: number;
  end: number;
}

/** A line's text without its terminator, its 1-based number counting LFs, and whether a terminator followed it. */
export type OnLine = (text: string, line: number, terminated: boolean) => void;

/**
 * Calls `onLine` for each line of a UTF-8 file, the terminator taken off: LF, or CRLF (line by
 * line, so a file mixing both reads right). A leading BOM is skipped. Complete lines are decoded
 * a few MB at a time, never the whole file at once.
 *
 * With `bytes: 'latin1'` each byte becomes one character (a line's text is then its bytes, which
 * `utf8Line` decodes): a copy instead of a UTF-8 decode, and one-byte strings that are quicker to
 * search and cut. The text of an ASCII line is the same either way.
 *
 * With `range`, only those bytes, their first line numbered 1 (a BOM is looked for only at byte 0).
 * Returns the number the line after the last would have: LFs read + 1.
 */
export async function forEachLine(
  path: string,
  onLine: OnLine,
  onProgress?: (bytesRead: number) => void,
  bytes: 'utf8' | 'latin1' = 'utf8',
  range?: ByteRange,
): Promise<number> {
  const fh = await open(path, 'r');
  try {
    let buf = Buffer.allocUnsafe(CHUNK_BYTES);
    let filled = 0;
    let total = 0;
    let line = 1;
    let first = (range?.start ?? 0) === 0;
    let position = range?.start ?? 0;
    const stop = range?.end ?? Infinity;
    for (;;) {
      if (filled === buf.length) {
        // A line longer than the buffer: grow it (a header over 64 KB is refused before this).
        const bigger = Buffer.allocUnsafe(buf.length * 2);
        buf.copy(bigger, 0, 0, filled);
        buf = bigger;
      }
      const want = Math.min(buf.length - filled, stop - position);
      const { bytesRead } = want > 0 ? await fh.read(buf, filled, want, position) : { bytesRead: 0 };
      position += bytesRead;
      const eof = bytesRead === 0;
      filled += bytesRead;
      total += bytesRead;
      if (bytesRead > 0) onProgress?.(total);
      const end = eof ? filled : buf.lastIndexOf(NL, filled - 1) + 1;
      if (end === 0 && !eof) continue;
      let start = 0;
      if (first && end >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) start = 3;
      first = false;
      // Decoded in blocks of whole lines under Node's 1 MB limit above which a decoded string lives
      // outside the V8 heap and is freed only lazily (4 MB blocks took 60 MB more peak memory).
      for (let from = start; from < end;) {
        const nl = end - from > DECODE_BYTES ? buf.lastIndexOf(NL, from + DECODE_BYTES - 1) : -1;
        const to = nl >= from ? nl + 1 : end;
        line = splitLines(buf.toString(bytes, from, to), line, eof && to === end, onLine);
        from = to;
      }
      buf.copy(buf, 0, end, filled);
      filled -= end;
      if (eof) return line;
    }
  } finally {
    await fh.close();
  }
}

/** Lines of `text` (whole lines, or the file's last bytes when `eof`); returns the next line's number. */
function splitLines(text: string, line: number, eof: boolean, onLine: OnLine): number {
  const n = text.length;
  let s = 0;
  while (s < n) {
    const nl = text.indexOf('\n', s);
    if (nl === -1) {
      // Only at the end of the file: a last line without a terminator.
      if (eof) onLine(text.slice(s), line, false);
      return line;
    }
    const e = nl > s && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
    onLine(text.slice(s, e), line, true);
    line++;
    s = nl + 1;
  }
  return line;
}

/** The UTF-8 text of a line read with `bytes: 'latin1'`: what the UTF-8 reading would have given. */
export function utf8Line(latin1: string): string {
  return Buffer.from(latin1, 'latin1').toString('utf8');
}

/** Whether every character of `s` is ASCII: then its latin1 and UTF-8 readings are the same text. */
export function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}

/**
 * A copy of a string cut from a line: a cut is a slice that keeps the whole decoded block (megabytes)
 * alive for as long as it lives; kept values (quarantined text, interned names) must not be cuts.
 */
export function detach(s: string): string {
  return (' ' + s).slice(1);
}
