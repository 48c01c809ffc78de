import type { CountTable } from './counts';
import { BadInputError } from './errors';

/**
 * Refuses a table with a row no model should learn from, naming the first
 * bad row: the warehouse may be fed by other loaders (the production raw
 * table is), so fetched data is checked, not trusted.
 */
export function assertValidCounts(
  t: CountTable,
  source: string,
  columns: { count: string; timestamp: string; counterId: string },
): void {
  if (t.length === 0) throw new BadInputError('no rows', { file: source });
  for (let i = 0; i < t.length; i++) {
    const row = i + 1;
    if (!t.counterId[i]) throw new BadInputError('empty counter id', { file: source, column: columns.counterId, row });
    if (!Number.isFinite(t.timestampMs[i]))
      throw new BadInputError('unparseable timestamp', { file: source, column: columns.timestamp, row });
    const c = t.count[i];
    if (!Number.isFinite(c))
      throw new BadInputError('non-numeric count', { file: source, column: columns.count, row, value: String(c) });
    if (c < 0)
      throw new BadInputError('negative count', { file: source, column: columns.count, row, value: String(c) });
  }
}
