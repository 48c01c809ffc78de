import type { CountTable } from './counts';
import { BadInputError } from './errors';

/**
 * Refuses a table with a row no model should learn from, naming the first
 * bad row: the warehouse may be fed by other loaders (the production raw
 * table is), so fetched data is checked, not trusted.
 */
export function assertValidCounts(t: CountTable, from: CountSource): void {
  if (t.length === 0) throw new BadInputError('no rows', { file: from.name });
  const invalid = firstInvalidCount(t);
  if (invalid) throw invalidCountError(invalid, from);
}

/** Where counts were read from, as errors should name it: a table window or a file, and its column names. */
export interface CountSource {
  name: string;
  columns: { count: string; timestamp: string; counterId: string };
}

/** The first row no model should learn from: its 1-based row number and what is wrong. */
export interface InvalidCountRow {
  row: number;
  problem: 'empty counter id' | 'unparseable timestamp' | 'non-numeric count' | 'negative count';
  value?: string;
}

const PROBLEM_COLUMN: Record<InvalidCountRow['problem'], keyof CountSource['columns']> = {
  'empty counter id': 'counterId',
  'unparseable timestamp': 'timestamp',
  'non-numeric count': 'count',
  'negative count': 'count',
};

export function invalidCountError(invalid: InvalidCountRow, from: CountSource): BadInputError {
  return new BadInputError(invalid.problem, {
    file: from.name,
    column: from.columns[PROBLEM_COLUMN[invalid.problem]],
    row: invalid.row,
    ...(invalid.value !== undefined ? { value: invalid.value } : {}),
  });
}

function firstInvalidCount(t: CountTable): InvalidCountRow | null {
  for (let i = 0; i < t.length; i++) {
    const row = i + 1;
    if (!t.counterId[i]) return { row, problem: 'empty counter id' };
    if (!Number.isFinite(t.timestampMs[i])) return { row, problem: 'unparseable timestamp' };
    const c = t.count[i];
    if (!Number.isFinite(c)) return { row, problem: 'non-numeric count', value: String(c) };
    if (c < 0) return { row, problem: 'negative count', value: String(c) };
  }
  return null;
}
