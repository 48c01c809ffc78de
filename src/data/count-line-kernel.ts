import { COUNT_LINE_KERNEL_WASM } from './count-line-kernel-wasm';
import type { RowLayout } from './row-reader';

// The part of the WebAssembly API used here: the project's libs (ES2022, no DOM) do not declare it.
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

interface WasmGlobal {
  value: number;
}

let compiled: object | null = null;

/** The kernel, compiled once per thread (3.4 KB: about a millisecond). */
function kernelModule(): object {
  return (compiled ??= new wasm.Module(Buffer.from(COUNT_LINE_KERNEL_WASM, 'base64')));
}

/** What one `scan` call read: `lines` lines, each one's outputs at index 0..lines−1 of the views. */
export interface ScannedLines {
  lines: number;
  /** Byte offsets in the kernel's memory: a line's start, and its end before the terminator. */
  start: Uint32Array;
  end: Uint32Array;
  /** ≥ 0: the row's (id, name, site) key, the line accepted; −1: the line is the reference's. */
  key: Int32Array;
  timestampMs: Float64Array;
  count: Float64Array;
  lat: Float64Array;
  lon: Float64Array;
}

/**
 * The WebAssembly reader of a counter file's usual line (count-line-kernel.wat says which lines it
 * takes and why they read the same as count-line-parser.ts's): one per file read, its memory holding
 * the input window the file is read into.
 */
export class CountLineKernel {
  readonly memory: ArrayBuffer;
  /** Where the input window starts in the memory, and its size. */
  readonly inputAt: number;
  readonly inputBytes: number;
  readonly maxLines: number;
  private readonly exports: Record<string, unknown>;
  private readonly out: ScannedLines;
  private readonly keyRecords: Uint32Array;

  constructor() {
    const instance = new wasm.Instance(kernelModule(), {});
    this.exports = instance.exports;
    this.memory = (instance.exports.memory as { buffer: ArrayBuffer }).buffer;
    const at = (name: string) => (instance.exports[name] as WasmGlobal).value;
    this.inputAt = at('IN');
    this.inputBytes = at('CHUNK');
    this.maxLines = at('MAX_LINES');
    const n = this.maxLines;
    this.out = {
      lines: 0,
      start: new Uint32Array(this.memory, at('OUT_START'), n),
      end: new Uint32Array(this.memory, at('OUT_END'), n),
      key: new Int32Array(this.memory, at('OUT_KEY'), n),
      timestampMs: new Float64Array(this.memory, at('OUT_TS'), n),
      count: new Float64Array(this.memory, at('OUT_COUNT'), n),
      lat: new Float64Array(this.memory, at('OUT_LAT'), n),
      lon: new Float64Array(this.memory, at('OUT_LON'), n),
    };
    this.keyRecords = new Uint32Array(this.memory, at('KEYS'), 4 * at('MAX_KEYS'));
  }

  /** Sets the file's delimiter and row layout; false when the kernel cannot read its lines. */
  configure(delimiter: string, layout: RowLayout): boolean {
    const configure = this.exports.configure as (...args: number[]) => number;
    return (
      delimiter.length === 1 &&
      configure(
        delimiter.charCodeAt(0),
        layout.fields,
        layout.counterId,
        layout.counterName,
        layout.siteId,
        layout.count,
        layout.timestamp,
        layout.coordinates,
        layout.lat,
        layout.lon,
        layout.naiveTimestamps === 'utc' ? 1 : 0,
        layout.maxCount,
      ) === 1
    );
  }

  /**
   * Reads at most maxLines lines of memory bytes [from, end) (end − 1 must be a LF; up to 15 bytes
   * past it are read, not used). The views are valid until the next call.
   */
  scan(from: number, end: number): { scanned: ScannedLines; stop: number } {
    this.out.lines = (this.exports.scan as (f: number, e: number, m: number) => number)(from, end, this.maxLines);
    return { scanned: this.out, stop: (this.exports.stop as WasmGlobal).value };
  }

  /** Keys handed out so far. */
  get keys(): number {
    return (this.exports.keys as WasmGlobal).value;
  }

  /** Key k's bytes (id, name, site), each byte one character (latin1), as the file holds them. */
  keyBytes(k: number): { id: string; name: string; site: string } {
    const r = this.keyRecords;
    const at = r[4 * k];
    const idEnd = at + r[4 * k + 1];
    const nameEnd = idEnd + r[4 * k + 2];
    const siteEnd = nameEnd + r[4 * k + 3];
    const bytes = Buffer.from(this.memory);
    return {
      id: bytes.toString('latin1', at, idEnd),
      name: bytes.toString('latin1', idEnd, nameEnd),
      site: bytes.toString('latin1', nameEnd, siteEnd),
    };
  }
}
