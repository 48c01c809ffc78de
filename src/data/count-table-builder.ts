import type { CountTable } from '../core/counts';
import { detach, isAscii, utf8Line } from './line-splitter';

/**
 * A builder's rows as numbers plus one entry per distinct (id, name, site): what a worker thread
 * sends back, its arrays transferred instead of copied and no string per row.
 */
export interface PackedCountRows {
  ids: string[];
  names: string[];
  sites: string[];
  /** Each row's entry in ids/names/sites. */
  key: Int32Array;
  timestampMs: Float64Array;
  count: Float64Array;
  lat: Float64Array;
  lon: Float64Array;
}

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

  /** A string of a line's bytes, one character each (latin1) → its UTF-8 text, interned here. */
  internBytes(s: string): string {
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

  /** A row whose strings this builder interned already (by `internBytes`, say). */
  append(
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

  /** The rows so far, packed (see PackedCountRows). */
  packed(): PackedCountRows {
    const t = this.build();
    const { timestampMs, count, lat, lon } = t;
    const p: PackedCountRows = {
      ids: [],
      names: [],
      sites: [],
      key: new Int32Array(t.length),
      timestampMs,
      count,
      lat,
      lon,
    };
    // Interned strings: a counter's rows share them, so the id is looked up, then name and site compared.
    const byId = new Map<string, number[]>();
    for (let i = 0; i < t.length; i++) {
      const id = t.counterId[i];
      let ks = byId.get(id);
      if (ks === undefined) byId.set(id, (ks = []));
      let v = ks.find((k) => p.names[k] === t.counterName[i] && p.sites[k] === t.siteId[i]);
      if (v === undefined) {
        v = p.ids.length;
        ks.push(v);
        p.ids.push(id);
        p.names.push(t.counterName[i]);
        p.sites.push(t.siteId[i]);
      }
      p.key[i] = v;
    }
    return p;
  }

  /** Appends packed rows (another builder's, in file order after these), their strings interned here. */
  appendPacked(p: PackedCountRows): void {
    const ids = p.ids.map((s) => this.lookUp(s));
    const names = p.names.map((s) => this.lookUp(s));
    const sites = p.sites.map((s) => this.lookUp(s));
    for (let i = 0; i < p.key.length; i++) {
      const k = p.key[i];
      this.append(ids[k], names[k], sites[k], p.timestampMs[i], p.count[i], p.lat[i], p.lon[i]);
    }
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
