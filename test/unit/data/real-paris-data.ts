import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Real Paris extracts, committed as byte-identical fixtures in `test/fixtures/paris/`
 * (City of Paris open data, "comptage vélo – données compteurs", opendata.paris.fr; see the README there).
 * Attribution: data © Ville de Paris, ODbL.
 */
export const PARIS_FIXTURES_DIR = join(__dirname, '..', '..', 'fixtures', 'paris');
export const RAW_SAMPLE = join(PARIS_FIXTURES_DIR, 'paris-counters-raw-sample.csv');
export const HOURLY_2020 = join(PARIS_FIXTURES_DIR, 'paris-2020-hourly-mean-count.csv');

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
