import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { CountTable } from '../core/counts';
import { formatParisIso } from '../features/paris-time';
import { hash3, hashString, unitFromHash } from './random';
import { OPEN_DATA_HEADER } from './open-data-format';

export interface WriteOpenDataOptions {
  /**
   * Replace about one line in `every` with a malformed one (the `bad-rows`
   * scenario), chosen by `seed`: the import path's quarantine is tested on it.
   */
  corrupt?: { seed: number; every: number };
  /**
   * Fill the photo-link columns as the real export's sample does (a ~140-character link per site),
   * instead of leaving them empty: files of the real width, for the import benchmark.
   */
  photoLinks?: boolean;
  /**
   * `mixed`: about one line in seven ends with LF instead of CRLF (files re-saved by another tool);
   * the importer reads line ends line by line. Default `crlf`, as the export writes them.
   */
  lineEnds?: 'crlf' | 'mixed';
}

export interface CorruptedLine {
  /** 1-based line number in the file (the header is line 1). */
  line: number;
  kind: CorruptionKind;
}

export type CorruptionKind =
  'bad-timestamp' | 'negative-count' | 'non-numeric-count' | 'bad-coordinates' | 'missing-fields' | 'empty-counter-id';
const CORRUPTIONS: readonly CorruptionKind[] = [
  'bad-timestamp',
  'negative-count',
  'non-numeric-count',
  'bad-coordinates',
  'missing-fields',
  'empty-counter-id',
];

export interface WriteOpenDataResult {
  path: string;
  /** Data lines written (corrupted ones included). */
  rows: number;
  bytes: number;
  corrupted: CorruptedLine[];
}

const CHUNK_CHARS = 1 << 20;
const DIRECTION_SUFFIX = / (N|S|E|O|NE|NO|SE|SO)-(N|S|E|O|NE|NO|SE|SO)$/;

/** A field as the export writes it: bare, quoted only if it holds the separator or a quote. */
function field(s: string): string {
  return /[;"\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The export writes counts as decimals ("3.0"). */
function formatCount(c: number): string {
  return Number.isInteger(c) ? `${c}.0` : String(c);
}

interface SiteExtras {
  siteName: string;
  installedOn: string;
  technicalId: string;
  urlSite: string;
  photoLink: string;
}

/**
 * Columns the internal row does not carry (site name, install date,
 * technical id) are derived deterministically from what it does carry, so a
 * written file is a function of the table alone.
 */
function siteExtras(counterName: string, siteId: string, counterId: string): SiteExtras {
  const m = DIRECTION_SUFFIX.exec(counterName);
  const h = hashString(siteId);
  const y = 2012 + (h % 8);
  const mo = 1 + (hash3(h, 1, 0) % 12);
  const d = 1 + (hash3(h, 2, 0) % 28);
  return {
    siteName: m ? counterName.slice(0, m.index) : counterName,
    installedOn: `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`,
    technicalId: `X2H${20000000 + (hashString(counterId) % 9999999)}`,
    urlSite: `https://www.eco-visio.net/Photos/${siteId}`,
    // The sample's shape: filer.eco-counter-tools.com/file/<2 hex>/<64 hex>/<name>.jpg, 139 characters.
    photoLink: `https://filer.eco-counter-tools.com/file/${hex(h, 2)}/${hex(hash3(h, 3, 0), 64)}/Y${2000000000 + (hash3(h, 4, 0) % 99999999)}_${y + 8}0818123410.jpg`,
  };
}

function hex(seed: number, n: number): string {
  let out = '';
  for (let i = 0; out.length < n; i++) out += (hash3(seed, i, 7) >>> 0).toString(16).padStart(8, '0');
  return out.slice(0, n);
}

function corruptLine(kind: CorruptionKind, fields: string[]): string {
  const f = fields.slice();
  switch (kind) {
    case 'bad-timestamp':
      f[5] = f[5].slice(0, 10) + ' 25h';
      break;
    case 'negative-count':
      f[4] = '-4.0';
      break;
    case 'non-numeric-count':
      f[4] = 'n/a';
      break;
    case 'bad-coordinates':
      f[8] = '48.85';
      break;
    case 'missing-fields':
      return f.slice(0, 6).join(';');
    case 'empty-counter-id':
      f[0] = '';
      break;
  }
  return f.join(';');
}

/**
 * Writes the Paris open-data export format exactly: `;`-separated, UTF-8
 * without BOM, CRLF, the French header, local time with its UTC offset,
 * coordinates as "lat,lon". Same table and options, same bytes.
 */
export async function writeOpenDataCsv(
  t: CountTable,
  path: string,
  options: WriteOpenDataOptions = {},
): Promise<WriteOpenDataResult> {
  const out = createWriteStream(path);
  const failed = new Promise<never>((_, reject) => out.once('error', reject));
  const extras = new Map<string, SiteExtras>();
  const isoCache = new Map<number, [string, string]>();
  const corrupted: CorruptedLine[] = [];
  let bytes = 0;
  let chunk = OPEN_DATA_HEADER.join(';') + '\r\n';
  const photos = options.photoLinks === true;
  const mixed = options.lineEnds === 'mixed';

  const flush = async () => {
    bytes += Buffer.byteLength(chunk);
    if (!out.write(chunk)) await Promise.race([once(out, 'drain'), failed]);
    chunk = '';
  };

  for (let i = 0; i < t.length; i++) {
    const id = t.counterId[i];
    let x = extras.get(id);
    if (!x) {
      x = siteExtras(t.counterName[i], t.siteId[i], id);
      extras.set(id, x);
    }
    const ts = t.timestampMs[i];
    let iso = isoCache.get(ts);
    if (!iso) {
      const s = formatParisIso(ts);
      iso = [s, s.slice(0, 7)];
      if (isoCache.size > 50_000) isoCache.clear();
      isoCache.set(ts, iso);
    }
    const fields = [
      field(id),
      field(t.counterName[i]),
      field(t.siteId[i]),
      field(x.siteName),
      formatCount(t.count[i]),
      iso[0],
      x.installedOn,
      photos ? x.photoLink : '',
      `${t.lat[i]},${t.lon[i]}`,
      x.technicalId,
      '',
      photos ? x.photoLink : '',
      photos ? 'https:' : '',
      x.urlSite,
      'jpg',
      iso[1],
    ];
    let line: string;
    const c = options.corrupt;
    if (c && unitFromHash(hash3(c.seed, i, 0xbad)) < 1 / c.every) {
      const kind = CORRUPTIONS[hash3(c.seed, i, 0xbad + 1) % CORRUPTIONS.length];
      corrupted.push({ line: i + 2, kind });
      line = corruptLine(kind, fields);
    } else line = fields.join(';');
    chunk += line + (mixed && i % 7 === 3 ? '\n' : '\r\n');
    if (chunk.length >= CHUNK_CHARS) await flush();
  }
  await flush();
  out.end();
  await Promise.race([once(out, 'finish'), failed]);
  return { path, rows: t.length, bytes, corrupted };
}
