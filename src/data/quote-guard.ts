import { Transform, type TransformCallback } from 'node:stream';

/** A line taken out of the stream because its quoting is malformed. */
export interface MalformedLine {
  line: number;
  raw: string;
}

const NL = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;

/**
 * Sits before the CSV parser and blanks out lines whose double quotes are
 * malformed (unbalanced, or text after a closing quote). A stray quote
 * would otherwise make the parser read the following lines as one field
 * until the end of the file (its error recovery does not resynchronise):
 * one bad line would swallow the rest. Counter files never hold multi-line
 * fields, so such a line is always a bad row. The line's terminator is kept,
 * so the parser's line numbers stay those of the file.
 *
 * Files without quotes (the usual case) pass through after a native scan.
 */
export class QuoteGuard extends Transform {
  readonly malformed: MalformedLine[] = [];
  private carry: Buffer = Buffer.alloc(0);
  /** Number of the line that starts at `carry[0]`. */
  private lineNo = 1;
  private readonly delimiter: number;

  constructor(delimiter: string) {
    super();
    this.delimiter = delimiter.charCodeAt(0);
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    const data = this.carry.length ? Buffer.concat([this.carry, chunk]) : chunk;
    const last = data.lastIndexOf(NL);
    if (last === -1) {
      this.carry = data;
      done();
      return;
    }
    const complete = data.subarray(0, last + 1);
    this.carry = Buffer.from(data.subarray(last + 1));
    this.push(this.guard(complete));
    done();
  }

  override _flush(done: TransformCallback): void {
    if (this.carry.length) this.push(this.guard(this.carry));
    done();
  }

  private guard(block: Buffer): Buffer {
    if (block.indexOf(QUOTE) === -1) {
      for (let p = block.indexOf(NL); p !== -1; p = block.indexOf(NL, p + 1)) this.lineNo++;
      return block;
    }
    const parts: Buffer[] = [];
    let start = 0;
    while (start < block.length) {
      const nl = block.indexOf(NL, start);
      const end = nl === -1 ? block.length : nl + 1;
      const line = block.subarray(start, end);
      const contentEnd = nl === -1 ? end : nl > start && block[nl - 1] === CR ? nl - 1 : nl;
      if (line.indexOf(QUOTE) !== -1 && !wellQuoted(block, start, contentEnd, this.delimiter)) {
        this.malformed.push({ line: this.lineNo, raw: block.subarray(start, contentEnd).toString('utf8') });
        parts.push(block.subarray(contentEnd, end));
      } else parts.push(line);
      if (nl !== -1) this.lineNo++;
      start = end;
    }
    return Buffer.concat(parts);
  }
}

/** Each field either bare without quotes, or wholly quoted with "" as the only quote inside. */
function wellQuoted(b: Buffer, from: number, to: number, delimiter: number): boolean {
  let i = from;
  for (;;) {
    if (i < to && b[i] === QUOTE) {
      i++;
      for (;;) {
        if (i >= to) return false;
        if (b[i] === QUOTE) {
          if (i + 1 < to && b[i + 1] === QUOTE) i += 2;
          else {
            i++;
            break;
          }
        } else i++;
      }
      if (i === to) return true;
      if (b[i] !== delimiter) return false;
      i++;
    } else {
      while (i < to && b[i] !== delimiter) {
        if (b[i] === QUOTE) return false;
        i++;
      }
      if (i === to) return true;
      i++;
    }
  }
}

/**
 * The fields of a line holding a double quote, read as the CSV parser reads a well-quoted line
 * (a quoted field unquoted, "" as one quote); undefined when the quoting is malformed, the
 * QuoteGuard's rule: each field either bare without quotes, or wholly quoted.
 */
export function splitQuotedLine(line: string, delimiter: string): string[] | undefined {
  const fields: string[] = [];
  const n = line.length;
  let i = 0;
  for (;;) {
    if (i < n && line.charCodeAt(i) === QUOTE) {
      let value = '';
      let from = i + 1;
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q === -1) return undefined;
        if (line.charCodeAt(q + 1) === QUOTE) {
          value += line.slice(from, q + 1);
          i = from = q + 2;
        } else {
          value += line.slice(from, q);
          i = q + 1;
          break;
        }
      }
      fields.push(value);
      if (i === n) return fields;
      if (line[i] !== delimiter) return undefined;
      i++;
    } else {
      const d = line.indexOf(delimiter, i);
      const end = d === -1 ? n : d;
      const value = line.slice(i, end);
      if (value.indexOf('"') !== -1) return undefined;
      fields.push(value);
      if (d === -1) return fields;
      i = d + 1;
    }
  }
}
