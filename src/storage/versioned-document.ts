import { open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { BadInputError } from '../core/errors';
import { writeAtomically } from './local-artifact-store';

/**
 * A JSON document updated by compare-and-swap on a generation number: the
 * primitive the champion registry needs so that two promotions racing cannot
 * both win. Locally a lock file serialises read-compare-write across
 * processes; on Cloud Storage the same contract maps onto object
 * generations (`ifGenerationMatch`).
 */
export interface VersionedDocumentStore<T> {
  /** Where the document is, as messages should name it (a path or a URI). */
  readonly location: string;
  read(): Promise<{ doc: T; generation: number } | null>;
  /** Writes only if the stored generation is still `expected` (0 = absent). Returns false on conflict. */
  writeIfGeneration(doc: T, expected: number): Promise<boolean>;
  /**
   * Recovery only: writes `doc` whatever is stored. A document already there, readable or not, is kept
   * aside (renamed, its name returned); the new generation is above a readable old one's, so a
   * compare-and-swap that read the old document fails.
   */
  replace(doc: T): Promise<{ keptAs: string | null }>;
}

interface Stored<T> {
  generation: number;
  doc: T;
}

const STALE_LOCK_MS = 30_000;

export class LocalVersionedDocument<T> implements VersionedDocumentStore<T> {
  constructor(readonly path: string) {}

  get location(): string {
    return this.path;
  }

  async read(): Promise<{ doc: T; generation: number } | null> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
    let stored: Stored<T>;
    try {
      stored = JSON.parse(text) as Stored<T>;
    } catch (err) {
      // A truncated or hand-edited document: name it, never guess (the registry is what promotion trusts).
      throw new BadInputError(`unreadable JSON (${(err as Error).message})`, { file: this.path });
    }
    if (typeof stored?.generation !== 'number' || typeof stored.doc !== 'object' || stored.doc === null)
      throw new BadInputError('not a versioned document (no generation or doc)', { file: this.path });
    return { doc: stored.doc, generation: stored.generation };
  }

  async writeIfGeneration(doc: T, expected: number): Promise<boolean> {
    return this.withLock(async () => {
      const current = await this.read();
      if ((current?.generation ?? 0) !== expected) return false;
      const stored: Stored<T> = { generation: expected + 1, doc };
      await writeAtomically(this.path, JSON.stringify(stored, null, 2));
      return true;
    });
  }

  async replace(doc: T): Promise<{ keptAs: string | null }> {
    return this.withLock(async () => {
      const old = await this.read().catch(() => null);
      let keptAs: string | null = `${this.path}.${new Date().toISOString().replace(/[:.]/g, '-')}.bak`;
      try {
        await rename(this.path, keptAs);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
        keptAs = null;
      }
      const stored: Stored<T> = { generation: (old?.generation ?? 0) + 1, doc };
      await writeAtomically(this.path, JSON.stringify(stored, null, 2));
      return { keptAs };
    });
  }

  private async withLock<R>(work: () => Promise<R>): Promise<R> {
    const lock = `${this.path}.lock`;
    await writeAtomically(`${this.path}.touch`, '').catch(() => undefined); // ensures the folder exists
    for (let attempt = 0; ; attempt++) {
      try {
        const fh = await open(lock, 'wx');
        await fh.writeFile(String(process.pid));
        await fh.close();
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        const age = await stat(lock).then(
          (s) => Date.now() - s.mtimeMs,
          () => 0,
        );
        if (age > STALE_LOCK_MS) await unlink(lock).catch(() => undefined);
        await new Promise((r) => setTimeout(r, Math.min(5 * 2 ** attempt, 200)));
      }
    }
    try {
      return await work();
    } finally {
      await unlink(lock).catch(() => undefined);
    }
  }
}
