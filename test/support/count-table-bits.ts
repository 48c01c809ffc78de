import type { CountTable } from '../../src/core/counts';

/**
 * Every value of a table, numbers as their IEEE-754 bits (NaN, -0 and
 * ±Infinity included), so `toEqual` on two of these means bit-identical.
 */
export function countTableBits(t: CountTable): Record<string, unknown[]> {
  return {
    length: [t.length],
    counterId: [...t.counterId],
    counterName: [...t.counterName],
    siteId: [...t.siteId],
    timestampMs: numberBits(t.timestampMs),
    count: numberBits(t.count),
    lat: numberBits(t.lat),
    lon: numberBits(t.lon),
  };
}

/** A JSON-able copy of any value with each number replaced by its bits: results compared bit for bit. */
export function valueBits(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (_key, v: unknown) => (typeof v === 'number' ? bitsOf(v) : v)));
}

function numberBits(values: Float64Array): string[] {
  return Array.from(values, bitsOf);
}

function bitsOf(x: number): string {
  return Buffer.from(new Float64Array([x]).buffer).toString('hex');
}
