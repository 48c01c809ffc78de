/**
 * Regenerates `paris-2020.ts` from the real Paris extracts:
 *   npx tsx src/data/calibration/derive-paris-calibration.ts [../shared/data]
 *
 * Profiles are hourly means per ISO weekday over 27 January – 13 March 2020:
 * after the winter transport strike's tail (its surge would inflate commute
 * peaks) and before the first lockdown (17 March).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const dataDir = resolve(process.argv[2] ?? join(__dirname, '../../../../shared/data'));
const FROM = '2020-01-27';
const TO = '2020-03-13';

const sums = Array.from({ length: 7 }, () => new Array<number>(24).fill(0));
const ns = Array.from({ length: 7 }, () => new Array<number>(24).fill(0));
for (const line of readFileSync(join(dataDir, 'paris-2020-hourly-mean-count.csv'), 'utf8').split(/\r?\n/).slice(1)) {
  if (!line) continue;
  const [date, count] = line.split(',');
  const day = date.slice(0, 10);
  if (day < FROM || day > TO) continue;
  const weekday = (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7;
  const hour = Number(date.slice(11, 13));
  sums[weekday][hour] += Number(count);
  ns[weekday][hour] += 1;
}
const profile = sums.map((row, w) => row.map((s, h) => Math.round((10 * s) / ns[w][h]) / 10));

const sites = readFileSync(join(dataDir, 'paris-2020-counter-sites.csv'), 'utf8')
  .split(/\r?\n/)
  .slice(1)
  .filter(Boolean)
  .map((line) => {
    const [, name, description, lat, lon] = line.split(',');
    return { name, description, lat: Number(lat), lon: Number(lon) };
  });

const out = `/**
 * Calibration of the traffic simulator, derived from the City of Paris open
 * data on bicycle counters (2020 extracts) by derive-paris-calibration.ts.
 * Do not edit by hand; rerun the script.
 *
 * Attribution: data © Ville de Paris, ODbL.
 */

/** Mean hourly count over all Paris counters, [ISO weekday 0 = Monday][local hour], ${FROM} to ${TO}. */
export const PARIS_2020_WEEK_PROFILE: readonly (readonly number[])[] = ${JSON.stringify(profile)};

/** The 40 counter sites of 2020: name, the description carried by the export, and coordinates. */
export const PARIS_2020_SITES: readonly { name: string; description: string; lat: number; lon: number }[] = ${JSON.stringify(sites, null, 1)};
`;
writeFileSync(join(__dirname, 'paris-2020.ts'), out);
console.log(`wrote paris-2020.ts: ${sites.length} sites`);
