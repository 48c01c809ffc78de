import type { CountTable } from '../core/counts';
import { detach, isAscii, utf8Line } from './line-splitter';

/** Where a row reader puts the rows it accepts. */
export interface CountSink {
  push(
    counterId: string,
    counterName: string,
    siteId: string,
    timestampMs: number,
    count: number,
    lat: number,
    lon: number,
  ): void;
}

/**
 * Appends rows into growable columns. Ids and names repeat on every row of a
 * counter: interning keeps one string per distinct value instead of 660K
 * copies, which is most of the import's memory.
 */
export class CountTableBuilder implements CountSink {
  private n = 0;
  private readonly strings = new Map<string, string>();
  private readonly counterId: string[] = [];
  private readonly counterName: string[] = [];
  private readonly siteId: string[] = [];
  private timestampMs = new Float64Array(1024);
  private count = new Float64Array(1024);
  private lat = new Float64Array(1024);
  private lon = new Float64Array(1024);

  get length(): number {
    return this.n;
  }

  /** The last value interned per column: rows of one counter usually follow each other. */
  private readonly last = ['', '', ''];

  private intern(s: string, column: number): string {
    // Comparing with the previous row's value skips hashing a freshly cut string.
    if (s === this.last[column]) return this.last[column];
    return (this.last[column] = this.lookUp(s));
  }

  private lookUp(s: string): string {
    const hit = this.strings.get(s);
    if (hit !== undefined) return hit;
    const own = detach(s);
    this.strings.set(own, own);
    return own;
  }

  /** Text read as bytes (forEachLine's latin1) → its UTF-8 reading, interned. */
  private readonly fromBytes = new Map<string, string>();

  private internBytes(s: string): string {
    const hit = this.fromBytes.get(s);
    if (hit !== undefined) return hit;
    const own = this.lookUp(isAscii(s) ? s : utf8Line(s));
    this.fromBytes.set(detach(s), own);
    return own;
  }

  /**
   * The same builder for rows whose strings are a line's bytes, one character each (forEachLine's
   * latin1): each distinct one is decoded as UTF-8 once, on its first row.
   */
  readonly bytes: CountSink = {
    push: (counterId, counterName, siteId, timestampMs, count, lat, lon) =>
      this.append(
        this.internBytes(counterId),
        this.internBytes(counterName),
        this.internBytes(siteId),
        timestampMs,
        count,
        lat,
        lon,
      ),
  };

  private grow(): void {
    const cap = this.timestampMs.length * 2;
    const g = (a: Float64Array) => {
      const b = new Float64Array(cap);
      b.set(a);
      return b;
    };
    this.timestampMs = g(this.timestampMs);
    this.count = g(this.count);
    this.lat = g(this.lat);
    this.lon = g(this.lon);
  }

  push(
    counterId: string,
    counterName: string,
    siteId: string,
    timestampMs: number,
    count: number,
    lat: number,
    lon: number,
  ): void {
    this.append(
      this.intern(counterId, 0),
      this.intern(counterName, 1),
      this.intern(siteId, 2),
      timestampMs,
      count,
      lat,
      lon,
    );
  }

  /** A row whose strings are interned already. */
  private append(
    counterId: string,
    counterName: string,
    siteId: string,
    timestampMs: number,
    count: number,
    lat: number,
    lon: number,
  ): void {
    const i = this.n;
    if (i === this.timestampMs.length) this.grow();
    this.counterId.push(counterId);
    this.counterName.push(counterName);
    this.siteId.push(siteId);
    this.timestampMs[i] = timestampMs;
    this.count[i] = count;
    this.lat[i] = lat;
    this.lon[i] = lon;
    this.n = i + 1;
  }

  build(): CountTable {
    const n = this.n;
    return {
      length: n,
      counterId: this.counterId,
      counterName: this.counterName,
      siteId: this.siteId,
      timestampMs: this.timestampMs.slice(0, n),
      count: this.count.slice(0, n),
      lat: this.lat.slice(0, n),
      lon: this.lon.slice(0, n),
    };
  }
}
