import { SeededRandom } from '../stats/random';

/**
 * Counter-based randomness for the simulator: every draw is a pure function
 * of (seed, counter, hour), never of how many draws came before. So a window
 * simulated in pieces equals the window simulated at once, a scenario equals
 * `stable` up to its change date, and adding a counter changes no other
 * counter's numbers.
 */

/** murmur3's 32-bit finaliser: a cheap, well-mixed integer hash. */
export function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

export function hash3(a: number, b: number, c: number): number {
  return mix32(mix32(mix32(a ^ 0x9e3779b9) ^ (b | 0)) + Math.imul(c | 0, 0x27d4eb2d));
}

/** Uniform in [0, 1) from a hash: for one-off decisions (is this day rainy?). */
export function unitFromHash(h: number): number {
  return h / 4294967296;
}

/** String → 32-bit hash (FNV-1a), for seeds derived from names. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * The project's sequential generator (SeededRandom, src/stats/random.ts)
 * reseeded per row: the row's draws (noise, Poisson) need several uniforms,
 * the row hash gives its start.
 */
export class RowRandom {
  private readonly rng = new SeededRandom(0);

  reseed(h: number): void {
    this.rng.reseed(h);
  }

  /** Uniform in (0, 1): never exactly 0, so log() is safe. */
  next(): number {
    return (this.rng.nextUint32() + 0.5) / 4294967296;
  }

  normal(): number {
    return Math.sqrt(-2 * Math.log(this.next())) * Math.cos(2 * Math.PI * this.next());
  }

  /** Gamma(shape, 1/shape): mean 1, variance 1/shape (Marsaglia–Tsang, shape ≥ 1). */
  gammaMeanOne(shape: number): number {
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      const z = this.normal();
      const v0 = 1 + c * z;
      if (v0 <= 0) continue;
      const v = v0 * v0 * v0;
      const u = this.next();
      if (Math.log(u) < 0.5 * z * z + d - d * v + d * Math.log(v)) return (d * v) / shape;
    }
  }

  /**
   * Poisson(lambda): exact (multiplication method) for small means, where the
   * shape of low night counts matters; normal approximation above, where the
   * gamma noise on top dominates anyway.
   */
  poisson(lambda: number): number {
    if (lambda <= 0) return 0;
    if (lambda < 20) {
      const limit = Math.exp(-lambda);
      let k = 0;
      let p = this.next();
      while (p > limit) {
        k++;
        p *= this.next();
      }
      return k;
    }
    const k = Math.round(lambda + Math.sqrt(lambda) * this.normal());
    return k < 0 ? 0 : k;
  }
}
