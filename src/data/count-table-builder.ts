import type { CountTable } from '../core/counts';
import { detach } from './line-splitter';

/**
 * Appends rows into growable columns. Ids and names repeat on every row of a
 * counter: interning keeps one string per distinct value instead of 660K
 * copies, which is most of the import's memory.
 */
export class CountTableBuilder {
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
    const i = this.n;
    if (i === this.timestampMs.length) this.grow();
    this.counterId.push(this.intern(counterId, 0));
    this.counterName.push(this.intern(counterName, 1));
    this.siteId.push(this.intern(siteId, 2));
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
