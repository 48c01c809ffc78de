import { randomUUID } from 'node:crypto';
import { stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DuckDbWarehouse } from '../storage/duckdb-warehouse';
import { CheckFailed, errorText, fail, ok, type Check } from './check';

const WAREHOUSE_FILE = 'warehouse.duckdb';

/** The data folder exists and takes a write; its DuckDB warehouse opens and reads. */
export function embeddedChecks(home: string): Check[] {
  const folder: Check = {
    name: 'data folder',
    async run() {
      await assertFolder(home);
      const probe = join(home, `.doctor-probe-${randomUUID()}`);
      try {
        await writeFile(probe, 'doctor');
        await unlink(probe);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        return fail(
          `${home} is not writable (${code === 'EROFS' ? 'read-only file system' : code === 'EACCES' ? 'permission denied' : errorText(err)})`,
          `make it writable by this user, or point BIKE_RETRAIN_HOME at a writable folder`,
        );
      }
      return ok(`${home} exists and is writable`);
    },
  };

  const warehouse: Check = {
    name: 'warehouse',
    async run() {
      await assertFolder(home);
      const path = join(home, WAREHOUSE_FILE);
      if (!(await stat(path).catch(() => null)))
        throw new CheckFailed(
          `no ${WAREHOUSE_FILE} in ${home} yet`,
          'load counts: `bike-retrain data import FILE` (or `bike-retrain demo` for a simulated world)',
        );
      const w = new DuckDbWarehouse(path);
      try {
        const s = await w.summarizeCounts();
        const until = s.maxMs === null ? '' : `, up to ${new Date(s.maxMs).toISOString()}`;
        await w.listAudit({ last: 1 });
        return ok(`${path} opens: ${s.rows} counts from ${s.counters} counters${until}; audit table readable`);
      } catch (err) {
        return fail(
          `${path} does not open: ${errorText(err)}`,
          'stop other processes holding it (a second writer), or restore it from a backup',
        );
      } finally {
        await w.close();
      }
    },
  };
  return [folder, warehouse];
}

async function assertFolder(home: string): Promise<void> {
  const s = await stat(home).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT' || err.code === 'ENOTDIR') return null;
    throw err;
  });
  if (!s)
    throw new CheckFailed(
      `${home} does not exist`,
      'create it (`bike-retrain demo` or `bike-retrain data import FILE` fill it) or point BIKE_RETRAIN_HOME at your data folder',
    );
  if (!s.isDirectory()) throw new CheckFailed(`${home} is a file, not a folder`, 'point BIKE_RETRAIN_HOME at a folder');
}
