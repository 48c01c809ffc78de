/**
 * The project's one sequential seeded generator (mulberry32): the same seed
 * gives the same bootstrap interval, forest and simulated counts on every
 * machine and every retry, which Math.random cannot. 32-bit state is plenty
 * for resampling a few thousand blocks or a row's noise; this is not for
 * cryptography. Used by the statistics, the tree engine (whose bootstrap loop
 * in src/model/engine/bootstrap-rows.ts inlines `nextUint32`) and the
 * simulator (RowRandom in src/data/random.ts, reseeded per row).
 */
export class SeededRandom {
  private state = 0;

  constructor(seed: number) {
    this.reseed(seed);
  }

  /** Restarts the sequence from `seed`, as a new generator would (the simulator reseeds one per row). */
  reseed(seed: number): void {
    if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${seed}`);
    this.state = seed >>> 0;
  }

  /** Next 32-bit unsigned integer. */
  nextUint32(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform integer in [0, n): floor(next() * n), kept that simple so a reference implementation can replay it. */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /**
   * `out.length` draws of int(n) into `out`, the same values as that many int(n) calls: the generator's
   * step inlined in one loop, for the bootstraps' millions of draws (a method call each was most of their time).
   */
  fillInts(n: number, out: Uint32Array): Uint32Array {
    if (!(n >= 0 && n <= 4294967296)) throw new RangeError(`fillInts draws below n ≤ 2^32, got ${n}`);
    let state = this.state;
    for (let k = 0; k < out.length; k++) {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = Math.imul(state ^ (state >>> 15), state | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      // u × 2^−32 is u / 2^32 exactly (a power of two), and the product is in [0, n): truncation is the floor.
      out[k] = (((t ^ (t >>> 14)) >>> 0) * 2.3283064365386963e-10 * n) >>> 0;
    }
    this.state = state;
    return out;
  }
}
