import { PARIS_2020_SITES } from './calibration/paris-2020';
import { hash3, hashString, unitFromHash } from './random';

/**
 * The simulated counters: real 2020 Paris sites (names, coordinates), two
 * directions each, with ids in the real "siteId-channelId" shape. The roster
 * is a fixed function of the index (not of the seed), so `--counters 12`
 * always means the same 12 counters and a scenario's new counters are the
 * ones after them.
 */
export interface SimCounter {
  index: number;
  counterId: string;
  counterName: string;
  siteId: string;
  siteName: string;
  lat: number;
  lon: number;
  /** Mean weekday hourly count in an average month. */
  baseLevel: number;
  /** > 0: morning-peak direction (towards the centre), < 0: evening-peak direction. */
  commuteAsymmetry: number;
  /** Share of the traffic with a leisure (weekend-like) rhythm: riverside sites have more. */
  leisureShare: number;
}

const DIRECTION_PAIRS: readonly [string, string][] = [
  ['NE-SO', 'SO-NE'],
  ['N-S', 'S-N'],
  ['E-O', 'O-E'],
  ['NO-SE', 'SE-NO'],
];
const DIRECTION_SUFFIX = / (N|S|E|O|NE|NO|SE|SO)-(N|S|E|O|NE|NO|SE|SO)$/;
const REPEAT_SUFFIXES = ['', ' bis', ' ter', ' quater'];
const ROSTER_SALT = 0x5eed0001;

function reverseDirection(d: string): string {
  const [a, b] = d.split('-');
  return `${b}-${a}`;
}

function siteOf(siteIndex: number): {
  siteId: string;
  siteName: string;
  lat: number;
  lon: number;
  dirs: [string, string];
  h: number;
} {
  const base = PARIS_2020_SITES[siteIndex % PARIS_2020_SITES.length];
  const round = Math.floor(siteIndex / PARIS_2020_SITES.length);
  const h = hashString(`${base.name}#${round}`);
  const m = DIRECTION_SUFFIX.exec(base.description);
  const name =
    (m ? base.description.slice(0, m.index) : base.description) + (REPEAT_SUFFIXES[round] ?? ` ${round + 1}`);
  const dirs: [string, string] = m
    ? [`${m[1]}-${m[2]}`, reverseDirection(`${m[1]}-${m[2]}`)]
    : DIRECTION_PAIRS[h % DIRECTION_PAIRS.length];
  // Later rounds are other spots on the same street: a few hundred metres away.
  const jitter = round === 0 ? 0 : 0.004;
  return {
    siteId: String(100003000 + siteIndex * 4217 + (h % 97)),
    siteName: name,
    lat: Math.round((base.lat + jitter * (unitFromHash(hash3(h, 1, 0)) - 0.5)) * 1e5) / 1e5,
    lon: Math.round((base.lon + jitter * (unitFromHash(hash3(h, 2, 0)) - 0.5)) * 1e5) / 1e5,
    dirs,
    h,
  };
}

export function simCounter(index: number): SimCounter {
  const nSites = PARIS_2020_SITES.length;
  // First one direction of every site, then the other: a small roster spans many sites.
  const direction = Math.floor(index / nSites) % 2;
  const siteIndex = (index % nSites) + nSites * Math.floor(index / (2 * nSites));
  const s = siteOf(siteIndex);
  const h = hash3(ROSTER_SALT, s.h, direction);
  const u = (k: number) => unitFromHash(hash3(h, k, 7));
  // Log-normal spread of levels (median ~70/h, quiet streets ~15, boulevards ~300): why the counter feature matters.
  const z = Math.sqrt(-2 * Math.log(u(1) * 0.999 + 0.0005)) * Math.cos(2 * Math.PI * u(2));
  const baseLevel = Math.min(400, Math.max(10, 70 * Math.exp(0.65 * z)));
  const riverside = /quai|voie|pont/i.test(s.siteName);
  const asym = 0.15 + 0.25 * u(3);
  const channel = 100000000 + (hash3(h, 4, 0) % 800000000);
  return {
    index,
    counterId: `${s.siteId}-${channel}`,
    counterName: `${s.siteName} ${s.dirs[direction]}`,
    siteId: s.siteId,
    siteName: s.siteName,
    lat: s.lat,
    lon: s.lon,
    baseLevel: Math.round(baseLevel * 10) / 10,
    // Alternate which direction carries the morning peak, so a roster of first directions is not all inbound.
    commuteAsymmetry: (direction + siteIndex) % 2 === 0 ? asym : -asym,
    leisureShare: riverside ? 0.25 + 0.15 * u(9) : 0.03 + 0.09 * u(9),
  };
}

/** Counters [from, to) of the roster. */
export function simRoster(from: number, to: number): SimCounter[] {
  const out: SimCounter[] = [];
  for (let i = from; i < to; i++) out.push(simCounter(i));
  return out;
}
