import type { CountTable } from '../core/counts';
import type { ArtifactStore } from '../storage/artifact-store';
import { countTableAsWritten } from './count-table-as-written';
import { putCountTableArtifactHashed, readCountTableArtifact } from './count-artifacts';

/**
 * Count tables one step of a run writes and a later step reads back
 * (test_current: trainChallenger → evaluateDouble), kept in this process so
 * the rows are not read twice when both steps run here. Another process
 * (workers scale out) reads the artifact: nothing depends on the cache.
 *
 * Keyed by the URI and the sha256 of the bytes written, which the reader
 * gets from the writer's result (ChallengerRef): a file rewritten since with
 * other bytes is another key, so it is read. The kept copy is what reading
 * the file returns, row order included (countTableAsWritten); a table whose
 * file order cannot be told exactly is not kept. Bounded: these tables are
 * per run, and only the most recent few are worth keeping.
 */
export async function putCountTableArtifactKept(
  store: ArtifactStore,
  key: string,
  table: CountTable,
): Promise<{ uri: string; sha256: string }> {
  const written = await putCountTableArtifactHashed(store, key, table);
  const asWritten = countTableAsWritten(table);
  if (asWritten) keep(cacheKey(written.uri, written.sha256), asWritten);
  return written;
}

/** The table at `uri`: the kept copy when this process wrote exactly those bytes (`sha256`), else read from the store. */
export async function readCountTableArtifactKept(
  store: ArtifactStore,
  uri: string,
  sha256: string | undefined,
): Promise<CountTable> {
  const hit = sha256 === undefined ? undefined : kept.get(cacheKey(uri, sha256));
  return hit ?? readCountTableArtifact(store, uri);
}

/** Forgets the tables kept so far (tests that count reads, or that force a read). */
export function forgetKeptCountTables(): void {
  kept.clear();
}

/** How many written tables stay kept: a run has one test_current, and a worker runs few runs at once. */
export const KEPT_COUNT_TABLES = 4;

// Insertion order is age: the first entry is the oldest.
const kept = new Map<string, CountTable>();

function keep(key: string, table: CountTable): void {
  kept.delete(key);
  kept.set(key, table);
  while (kept.size > KEPT_COUNT_TABLES) kept.delete(kept.keys().next().value!);
}

function cacheKey(uri: string, sha256: string): string {
  return `${uri}#sha256:${sha256}`;
}
