import { open } from 'node:fs/promises';

const NL = 0x0a;
const CHUNK_BYTES = 4 << 20;

/** A line's text without its terminator, its 1-based number counting LFs, and whether a terminator followed it. */
export type OnLine = (text: string, line: number, terminated: boolean) => void;

/**
 * Calls `onLine` for each line of a UTF-8 file, the terminator taken off: LF, or CRLF (line by
 * line, so a file mixing both reads right). A leading BOM is skipped. Complete lines are decoded
 * a few MB at a time, never the whole file at once.
 */
export async function forEachLine(
  path: string,
  onLine: OnLine,
  onProgress?: (bytesRead: number) => void,
): Promise<void> {
  const fh = await open(path, 'r');
  try {
    let buf = Buffer.allocUnsafe(CHUNK_BYTES);
    let filled = 0;
    let total = 0;
    let line = 1;
    let first = true;
    for (;;) {
      if (filled === buf.length) {
        // A line longer than the buffer: grow it (a header over 64 KB is refused before this).
        const bigger = Buffer.allocUnsafe(buf.length * 2);
        buf.copy(bigger, 0, 0, filled);
        buf = bigger;
      }
      const { bytesRead } = await fh.read(buf, filled, buf.length - filled, null);
      const eof = bytesRead === 0;
      filled += bytesRead;
      total += bytesRead;
      if (bytesRead > 0) onProgress?.(total);
      const end = eof ? filled : buf.lastIndexOf(NL, filled - 1) + 1;
      if (end === 0 && !eof) continue;
      let start = 0;
      if (first && end >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) start = 3;
      first = false;
      line = splitLines(buf.toString('utf8', start, end), line, eof, onLine);
      buf.copy(buf, 0, end, filled);
      filled -= end;
      if (eof) return;
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

/**
 * A copy of a string cut from a line: a cut is a slice that keeps the whole decoded block (megabytes)
 * alive for as long as it lives; kept values (quarantined text, interned names) must not be cuts.
 */
export function detach(s: string): string {
  return (' ' + s).slice(1);
}
