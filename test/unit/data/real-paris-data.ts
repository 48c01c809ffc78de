import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * The real Paris extracts live next to the repository (`../shared/data`), or
 * wherever BIKE_RETRAIN_SHARED_DATA points. Attribution: data © Ville de Paris, ODbL.
 */
export const SHARED_DATA_DIR = resolve(
  process.env.BIKE_RETRAIN_SHARED_DATA ?? join(__dirname, '../../../../shared/data'),
);
export const RAW_SAMPLE = join(SHARED_DATA_DIR, 'paris-counters-raw-sample.csv');
export const HOURLY_2020 = join(SHARED_DATA_DIR, 'paris-2020-hourly-mean-count.csv');
export const hasSharedData = existsSync(RAW_SAMPLE) && existsSync(HOURLY_2020);

/** Mean count by local hour over Mon–Fri, 27 Jan – 13 Mar 2020 (after the strike, before the lockdown). */
export function realPreLockdownWeekdayShape(): number[] {
  const sum = new Array<number>(24).fill(0);
  const n = new Array<number>(24).fill(0);
  for (const line of readFileSync(HOURLY_2020, 'utf8').split(/\r?\n/).slice(1)) {
    if (!line) continue;
    const [date, count] = line.split(',');
    const day = date.slice(0, 10);
    if (day < '2020-01-27' || day > '2020-03-13') continue;
    const weekday = (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7;
    if (weekday >= 5) continue;
    const h = Number(date.slice(11, 13));
    sum[h] += Number(count);
    n[h]++;
  }
  return sum.map((s, h) => s / n[h]);
}
