/**
 * Drift-assessment benchmark at full scale: 75 counters × 365 days ≈ 657K
 * reference rows against ≈ 20K current rows, everything timed together:
 * feature pipeline on both tables, data drift, data quality, performance
 * with a 2,000-resample block bootstrap, the assessment, the report as JSON
 * and as HTML. One core (this process is single-threaded). Prints JSON.
 *
 *   npx tsx bench/drift.ts [--counters 75] [--days 365] [--repeat 5] [--scenario lockdown]
 */
import { writeFileSync } from 'node:fs';
import { takeRows } from '../src/core/counts';
import { DAY_MS, HOUR_MS } from '../src/core/time';
import { simulateCounts } from '../src/data/simulator';
import { renderDriftReportHtml, renderDriftReportJson, runDriftCheck } from '../src/drift';
import { counterDayBlocks, seasonalNaivePredictions } from '../src/drift/seasonal-naive';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : process.argv[i + 1];
}
const counters = Number(arg('counters', '75'));
const days = Number(arg('days', '365'));
const repeat = Number(arg('repeat', '5'));
const scenario = arg('scenario', 'lockdown');

const refFrom = Date.UTC(2023, 0, 2);
const curFrom = refFrom + days * DAY_MS;
const curHours = Math.ceil(20_000 / counters);
const all = simulateCounts({
  scenario,
  fromMs: refFrom,
  toMs: curFrom + curHours * HOUR_MS,
  counters,
  seed: 7,
  changeAtMs: curFrom,
});
const refIdx: number[] = [];
const curIdx: number[] = [];
for (let i = 0; i < all.length; i++) (all.timestampMs[i] < curFrom ? refIdx : curIdx).push(i);
const reference = takeRows(all, refIdx);
const current = takeRows(all, curIdx);
// The champion's reference window: the reference's last 20 % (its test_baseline), predicted by a seasonal-naive stand-in.
const baseline = takeRows(
  reference,
  refIdx.slice(Math.floor(refIdx.length * 0.8)).map((_, k) => Math.floor(refIdx.length * 0.8) + k),
);
const recentPred = seasonalNaivePredictions(reference, current);
const basePred = seasonalNaivePredictions(reference, baseline);
const blocks = counterDayBlocks(current);

const times: number[] = [];
let html = '';
let json = '';
let verdict = '';
for (let r = 0; r < repeat; r++) {
  // Fresh table objects each time so no cached features are reused between repeats.
  const ref = takeRows(
    reference,
    Uint32Array.from({ length: reference.length }, (_, i) => i),
  );
  const cur = takeRows(
    current,
    Uint32Array.from({ length: current.length }, (_, i) => i),
  );
  const t0 = performance.now();
  const check = runDriftCheck({
    reference: ref,
    current: cur,
    performance: {
      recent: { yTrue: cur.count, yPred: recentPred, blocks },
      reference: { yTrue: baseline.count, yPred: basePred },
    },
    gates: { newRows: cur.length, daysCovered: Math.round(curHours / 24) },
  });
  json = renderDriftReportJson(check.report);
  html = renderDriftReportHtml(check.report);
  times.push(performance.now() - t0);
  verdict = `${check.assessment.triggered ? 'retrain' : 'no retrain'} ${check.assessment.severity}`;
}
const out = arg('html', '');
if (out) writeFileSync(out, html);
const sorted = [...times].sort((a, b) => a - b);
console.log(
  JSON.stringify({
    scenario,
    referenceRows: reference.length,
    currentRows: current.length,
    repeats: repeat,
    firstMs: Math.round(times[0]),
    medianMs: Math.round(sorted[Math.floor(sorted.length / 2)]),
    minMs: Math.round(sorted[0]),
    htmlBytes: Buffer.byteLength(html),
    jsonBytes: Buffer.byteLength(json),
    verdict,
  }),
);
