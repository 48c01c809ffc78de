import { InvalidArgumentError } from 'commander';

/** Option parsers shared by the commands: commander reports their errors as `error: option '…' argument '…' is invalid. …`. */

/** An ISO-8601 instant, normalised (`2026-11-22` → `2026-11-22T00:00:00.000Z`). */
export function isoDate(s: string): string {
  if (!Number.isFinite(Date.parse(s)))
    throw new InvalidArgumentError('expected an ISO-8601 date, e.g. 2026-11-22 or 2026-11-22T00:00:00Z');
  return new Date(Date.parse(s)).toISOString();
}

/** An ISO-8601 instant as epoch milliseconds. */
export function instant(v: string): number {
  const ms = Date.parse(v);
  if (Number.isNaN(ms)) throw new InvalidArgumentError(`not a date: ${v}`);
  return ms;
}

export function json(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    throw new InvalidArgumentError('expected JSON');
  }
}

export function positiveInt(s: string): number {
  const n = Number(s);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`expected a positive integer, not ${s}`);
  return n;
}

export function nonNegativeInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`expected a non-negative integer, not ${v}`);
  return n;
}

export function fraction(v: string): number {
  const n = Number(v);
  if (!(n > 0 && n < 1)) throw new InvalidArgumentError(`expected a fraction between 0 and 1, not ${v}`);
  return n;
}

/** A duration in whole days: `7d` or `7`. */
export function days(v: string): number {
  const m = /^(\d+)d?$/.exec(v.trim());
  if (!m || Number(m[1]) < 1) throw new InvalidArgumentError(`expected whole days, e.g. 7d, not ${v}`);
  return Number(m[1]);
}
