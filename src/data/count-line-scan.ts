import { open } from 'node:fs/promises';
import type { CountLineParser } from './count-line-parser';
import { CountLineKernel } from './count-line-kernel';
import { forEachLine, type ByteRange } from './line-splitter';
import { siteIdOf } from './row-reader';

const NL = 0x0a;

/**
 * Gives the lines of a counter file (or of `range` of it, its first line numbered 1) to `parser`,
 * as forEachLine with `bytes: 'latin1'` does, and returns the number the line after the last would
 * have. Once the header is read, the file is read into the line kernel's memory and the kernel
 * reads the usual line (count-line-kernel.wat); the lines it hands back, and the header, go to
 * `parser.onBytes` as before. With `kernel: false`, forEachLine and `onBytes` read every line (the
 * reference; the tests compare the two).
 */
export async function scanCountLines(
  path: string,
  parser: CountLineParser,
  onProgress?: (bytesRead: number) => void,
  range?: ByteRange,
  kernel = true,
): Promise<number> {
  if (!kernel) return forEachLine(path, parser.onBytes, onProgress, 'latin1', range);
  const k = new CountLineKernel();
  const base = k.inputAt;
  // The input window, in the kernel's memory: the file is read straight into it.
  const buf = Buffer.from(k.memory, base, k.inputBytes);
  const fh = await open(path, 'r');
  try {
    let filled = 0;
    let total = 0;
    let line = 1;
    let position = range?.start ?? 0;
    const stop = range?.end ?? Infinity;
    let atFileStart = position === 0;
    // A line longer than the window, gathered apart until its LF.
    let long: Buffer[] = [];
    let kernelReady = false;
    let kernelTried = false;
    // Each key's strings, as `parser.out` interns the line's bytes.
    const ids: string[] = [];
    const names: string[] = [];
    const sites: string[] = [];

    // A line for the JavaScript reader: bytes [from, to) of `src` (the window, or a long line gathered apart).
    const jsLine = (src: Buffer, from: number, to: number, terminated: boolean) => {
      // splitLines's rule: a CR right before the LF is the terminator's.
      const e = terminated && to > from && src[to - 1] === 0x0d ? to - 1 : to;
      parser.onBytes(src.toString('latin1', from, e), line, terminated);
      if (terminated) line++;
    };
    const tryKernel = () => {
      const reader = parser.reader();
      if (!reader || kernelTried) return;
      kernelTried = true;
      kernelReady = k.configure(parser.delimiter, reader.layout);
    };

    tryKernel();
    for (;;) {
      const want = Math.min(buf.length - filled, stop - position);
      const { bytesRead } = want > 0 ? await fh.read(buf, filled, want, position) : { bytesRead: 0 };
      position += bytesRead;
      filled += bytesRead;
      total += bytesRead;
      if (bytesRead > 0) onProgress?.(total);
      const eof = bytesRead === 0;
      let s = 0;
      if (atFileStart && (filled >= 3 || eof)) {
        if (filled >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) s = 3;
        atFileStart = false;
      }
      if (long.length > 0) {
        // The long line ends at the window's first LF, or at the end of the file.
        // Bytes past `filled` are an earlier read's.
        const found = buf.indexOf(NL, s);
        const nl = found < filled ? found : -1;
        if (nl === -1 && !eof && filled === buf.length) {
          long.push(Buffer.from(buf.subarray(s, filled)));
          filled = 0;
          continue;
        }
        if (nl === -1 && !eof) continue;
        const to = nl === -1 ? filled : nl;
        const whole = Buffer.concat([...long, buf.subarray(s, to)]);
        long = [];
        jsLine(whole, 0, whole.length, nl !== -1);
        s = nl !== -1 ? nl + 1 : filled;
      }
      // Complete lines end at the last LF; at the end of the file a last line may have none.
      const lfEnd = filled > s ? buf.lastIndexOf(NL, filled - 1) + 1 : s;
      if (lfEnd <= s && !eof) {
        if (filled === buf.length) {
          // No LF in the whole window: a line longer than it.
          long.push(Buffer.from(buf.subarray(s, filled)));
          filled = 0;
        } else if (s > 0) {
          buf.copy(buf, 0, s, filled);
          filled -= s;
        }
        continue;
      }
      while (s < lfEnd) {
        if (!kernelReady) {
          const nl = buf.indexOf(NL, s);
          jsLine(buf, s, nl, true);
          s = nl + 1;
          tryKernel();
          continue;
        }
        const { scanned, stop: next } = k.scan(base + s, base + lfEnd);
        if (next - base <= s) throw new Error(`the line kernel read nothing at byte ${position - filled + s}`);
        for (let key = ids.length; key < k.keys; key++) {
          const b = k.keyBytes(key);
          ids.push(parser.out.internBytes(b.id));
          names.push(parser.out.internBytes(b.name));
          // The reader's fallback, on the bytes as it does: a site id is the counter id's part before "-".
          sites.push(parser.out.internBytes(b.site || siteIdOf(b.id)));
        }
        const { key, start, end, timestampMs, count, lat, lon } = scanned;
        for (let i = 0; i < scanned.lines; i++) {
          const kk = key[i];
          if (kk >= 0) parser.onRow(ids[kk], names[kk], sites[kk], timestampMs[i], count[i], lat[i], lon[i], line);
          else parser.onBytes(buf.toString('latin1', start[i] - base, end[i] - base), line, true);
          line++;
        }
        s = next - base;
      }
      if (eof) {
        // The last line, without a terminator (splitLines keeps a CR there).
        const tail = Math.max(lfEnd, s);
        if (tail < filled) jsLine(buf, tail, filled, false);
        return line;
      }
      buf.copy(buf, 0, lfEnd, filled);
      filled -= lfEnd;
    }
  } finally {
    await fh.close();
  }
}
