import { describe, expect, it } from 'vitest';
import { RowRandom } from '../../../src/data/random';
import { bootstrapRows } from '../../../src/model/engine/bootstrap-rows';
import { SeededRandom } from '../../../src/stats/random';

// SeededRandom is the one sequential generator; these pin the places that use it in another form.
describe('the one generator (SeededRandom)', () => {
  it('reseed restarts the sequence as a new generator would', () => {
    const a = new SeededRandom(7);
    a.nextUint32();
    a.reseed(12345);
    const b = new SeededRandom(12345);
    for (let k = 0; k < 10; k++) expect(a.nextUint32()).toBe(b.nextUint32());
  });

  it("is the simulator's per-row generator, shifted half a step into (0, 1)", () => {
    const row = new RowRandom();
    for (const seed of [0, 1, 0x7fffffff, 0x80000000, 0xffffffff, 0x9e3779b9]) {
      row.reseed(seed);
      const ref = new SeededRandom(seed);
      for (let k = 0; k < 20; k++) expect(row.next()).toBe((ref.nextUint32() + 0.5) / 4294967296);
    }
  });

  it("is the tree engine's inlined bootstrap loop: draws are SeededRandom.int(n) of a generator seeded from the tree's", () => {
    const n = 1000;
    const y = Float64Array.from({ length: n }, (_, i) => i % 7);
    const stats = new Float32Array(2 * n);
    const { rows } = bootstrapRows(y, new SeededRandom(99), stats);
    const draws = new SeededRandom(new SeededRandom(99).nextUint32());
    const counts = new Float32Array(n);
    for (let k = 0; k < n; k++) counts[draws.int(n)]++;
    for (let i = 0; i < n; i++) {
      expect(stats[2 * i]).toBe(counts[i]);
      expect(stats[2 * i + 1]).toBe(Math.fround(counts[i] * y[i]));
    }
    expect(Array.from(rows)).toEqual(Array.from({ length: n }, (_, i) => i).filter((i) => counts[i] > 0));
  });

  it('fillInts draws what as many int(n) calls draw, and leaves the generator where they would', () => {
    for (const n of [1, 7, 4200, 2 ** 31 + 3, 2 ** 32]) {
      const a = new SeededRandom(n ^ 0x5eed);
      const b = new SeededRandom(n ^ 0x5eed);
      const out = a.fillInts(n, new Uint32Array(5000));
      for (let k = 0; k < out.length; k++) expect(out[k]).toBe(b.int(n));
      expect(a.nextUint32()).toBe(b.nextUint32());
    }
    expect(() => new SeededRandom(1).fillInts(2 ** 32 + 1, new Uint32Array(1))).toThrow(RangeError);
  });
});
