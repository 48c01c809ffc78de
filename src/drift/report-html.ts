import type { DriftReport } from './report';
import type { SignalResult } from './signals';
import { escapeHtml as e, intervalChart, pairedBarChart } from './svg-charts';

/**
 * The self-contained HTML report: verdict, severity and reasons first, then
 * one row per signal with reference and current drawn side by side, the
 * statistics and thresholds, then data quality and performance. Inline CSS
 * and SVG only: it makes no network request and runs no script.
 */
export function renderDriftReportHtml(r: DriftReport): string {
  const a = r.assessment;
  const sevColour = { LOW: '#15803d', MEDIUM: '#ca8a04', HIGH: '#ea580c', CRITICAL: '#b91c1c' }[a.severity];
  const out: string[] = [];
  out.push(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">`,
  );
  out.push(`<title>${e(r.title)} — ${a.triggered ? 'retrain' : 'no retrain'} (${a.severity})</title>`);
  out.push(`<style>${CSS}</style></head><body>`);
  out.push(`<h1>${e(r.title)}</h1>`);
  out.push(
    `<p class="muted">Reference ${windowText(r.reference)} · current ${windowText(r.current)} · generated ${e(r.generatedAt)} · feature pipeline ${e(r.drift.featurePipelineVersion)}</p>`,
  );

  out.push(`<section class="verdict" id="verdict" style="border-color:${sevColour}">`);
  out.push(
    `<div class="badges"><span class="badge" style="background:${a.triggered ? '#b91c1c' : '#15803d'}">${a.triggered ? 'RETRAIN' : 'NO RETRAIN'}</span>`,
  );
  out.push(`<span class="badge" style="background:${sevColour}">severity ${a.severity}</span>`);
  out.push(
    `<span class="badge neutral" title="${e(a.confidenceMethod)}">confidence ${a.confidence.toFixed(2)} (heuristic)</span></div>`,
  );
  out.push(`<h2>Why</h2><ul id="reasons">${a.reasons.map((x) => `<li>${e(x)}</li>`).join('')}</ul>`);
  if (a.blockedBy.length) out.push(`<p><strong>Blocked by:</strong> ${e(a.blockedBy.join(', '))}</p>`);
  out.push(
    `<details><summary>Gates</summary><table><tr><th>gate</th><th>passed</th><th>value</th><th>threshold</th><th>stops</th><th>detail</th></tr>`,
  );
  for (const g of a.gates)
    out.push(
      `<tr><td>${e(g.name)}</td><td>${g.passed === null ? '–' : g.passed ? 'yes' : '<b class="bad">no</b>'}</td><td>${e(String(g.value ?? '–'))}</td><td>${e(String(g.threshold))}</td><td>${g.stops}</td><td>${e(g.message)}</td></tr>`,
    );
  out.push(`</table></details><p class="muted small">Confidence: ${e(a.confidenceMethod)}</p></section>`);

  const d = r.drift;
  out.push(`<h2>Data drift</h2><p>${e(d.note)}${d.datasetDrift ? ' — <b class="bad">dataset drift</b>' : ''}.</p>`);
  out.push(`<p><b>Calendar:</b> ${e(d.calendar.policy)} — ${e(d.calendar.reason)}.</p>`);
  out.push(
    `<table class="signals"><tr><th>signal</th><th>reference <span class="key ref"></span> vs current <span class="key cur"></span></th><th>statistics and thresholds</th></tr>`,
  );
  for (const s of d.signals) {
    const dist = r.distributions.find((x) => x.name === s.name);
    const chart = dist
      ? pairedBarChart({
          labels: dist.labels,
          reference: dist.reference,
          current: dist.current,
          drifted: s.drifted,
          title: `${s.label}: reference vs current`,
        })
      : '';
    out.push(
      `<tr class="signal ${s.drifted ? 'drifted' : ''}" id="signal-${e(s.name)}"><td><b>${e(s.name)}</b><br>${e(s.label)}<br><span class="badge ${s.drifted ? '' : 'neutral'}" style="${s.drifted ? 'background:#b91c1c' : ''}">${s.drifted ? 'drifted' : 'stable'}</span><br><span class="muted small">features: ${e(s.features.join(', '))}</span></td>`,
    );
    out.push(`<td class="chart">${chart}</td><td>${statsTable(s)}</td></tr>`);
  }
  out.push(`</table>`);
  out.push(
    `<details><summary>Every pipeline feature and how it was treated</summary><table><tr><th>feature</th><th>treatment</th><th>signal</th><th>why</th></tr>`,
  );
  for (const f of d.featureTreatment)
    out.push(
      `<tr><td>${e(f.feature)}</td><td>${f.treatment}</td><td>${e(f.signal ?? '–')}</td><td>${e(f.reason)}</td></tr>`,
    );
  out.push(`</table></details>`);

  const q = r.quality;
  out.push(
    `<h2>Data quality: <span style="color:${q.status === 'OK' ? '#15803d' : q.status === 'WARNING' ? '#ca8a04' : '#b91c1c'}">${q.status}</span></h2>`,
  );
  out.push(
    `<p>${q.rows} rows, ${q.counters} counters; outliers ${pct(q.outlierShare)}, rows in broken runs ${pct(q.brokenRowShare)}, missing counter-hours ${pct(q.missingHourShare)}, rows of counters never seen in training ${pct(q.unseenRowShare)}.</p>`,
  );
  out.push(
    q.findings.length
      ? `<ul id="quality-findings">${q.findings.map((f) => `<li class="${f.severity}"><b>${f.severity}</b> ${e(f.message)}</li>`).join('')}</ul>`
      : '<p>No findings.</p>',
  );
  if (q.brokenRuns.length) {
    out.push(`<table><tr><th>counter</th><th>kind</th><th>from</th><th>to</th><th>hours</th><th>value</th></tr>`);
    for (const b of q.brokenRuns)
      out.push(
        `<tr><td>${e(b.counterId)}</td><td>${b.kind}</td><td>${iso(b.fromMs)}</td><td>${iso(b.toMs)}</td><td>${b.hours}</td><td>${b.value}</td></tr>`,
      );
    out.push(
      `</table>${q.brokenRunsTotal > q.brokenRuns.length ? `<p class="muted">${q.brokenRunsTotal - q.brokenRuns.length} more run(s) not listed.</p>` : ''}`,
    );
  }
  if (q.worstCounters.length)
    out.push(
      `<details><summary>Counters with the most outliers</summary><table><tr><th>counter</th><th>outlier share</th><th>rows</th></tr>${q.worstCounters.map((w) => `<tr><td>${e(w.counterId)}</td><td>${pct(w.outlierShare)}</td><td>${w.rows}</td></tr>`).join('')}</table></details>`,
    );

  out.push(`<h2>Performance and concept drift</h2>`);
  const p = r.performance;
  if (!p) out.push(`<p class="muted">No labelled predictions were given: performance not assessed.</p>`);
  else {
    out.push(
      `<table><tr><th></th><th>rows</th><th>RMSE</th><th>R²</th></tr><tr><td>reference</td><td>${p.reference.rows}</td><td>${p.reference.rmse.toFixed(3)}</td><td>${p.reference.r2.toFixed(3)}</td></tr><tr><td>recent</td><td>${p.recent.rows}</td><td>${p.recent.rmse.toFixed(3)}</td><td>${p.recent.r2.toFixed(3)}</td></tr></table>`,
    );
    out.push(
      `<p>RMSE change ${signedPct(p.rmseChange)} (drop above +${pct(p.thresholds.rmseRise)}), R² change ${p.r2Change.toFixed(3)} (drop below −${p.thresholds.r2Fall}). ${p.performanceDrop ? '<b class="bad">Performance drop.</b>' : 'No performance drop.'} ${p.conceptDrift ? '<b class="bad">Concept drift.</b>' : 'No concept drift.'}</p>`,
    );
    const ci = p.ratioInterval;
    out.push(
      `<div class="chart" id="ratio-interval">${intervalChart({ ratio: ci.ratio, lo: ci.lo, hi: ci.hi, threshold: 1 + p.thresholds.conceptRmseRise, title: 'RMSE ratio recent / reference with its block-bootstrap interval' })}</div>`,
    );
    out.push(
      `<p class="muted small">${e(p.note)}; blocks: ${ci.blockSource === 'given' ? 'as given (counter × day)' : `chunks of ${p.thresholds.defaultBlockRows} consecutive rows`}; reference RMSE ${ci.referenceResampled ? 'resampled too' : 'taken as known'}; seed ${ci.seed}.</p>`,
    );
  }

  out.push(
    `<details><summary>Configuration used</summary><pre>${e(JSON.stringify(r.config, null, 2))}</pre></details>`,
  );
  out.push(
    `<p class="muted small">bike-retrain drift report v${r.version}. Counts data © Ville de Paris, ODbL, where real data is used.</p>`,
  );
  out.push(`</body></html>`);
  return out.join('\n');
}

function statsTable(s: SignalResult): string {
  const rows: string[] = [];
  rows.push(
    `<tr><td>test</td><td>${s.test}, p = ${sci(s.pValue)}, BH-adjusted ${sci(s.pAdjusted)} ${s.significant ? '(significant)' : '(not significant)'}</td></tr>`,
  );
  for (const ef of s.effects)
    rows.push(
      `<tr><td>${ef.name}</td><td>${fmt(ef.value)} ${ef.reached ? '≥' : '<'} ${ef.threshold}${ef.reached ? ' <b class="bad">reached</b>' : ''}</td></tr>`,
    );
  for (const [k, v] of Object.entries(s.statistics))
    if (!s.effects.some((ef) => ef.name === k))
      rows.push(`<tr><td>${e(k)}</td><td>${k.endsWith('_p') ? sci(v) : fmt(v)}</td></tr>`);
  rows.push(`<tr><td>n (effective)</td><td>ref ${Math.round(s.referenceN)}, cur ${Math.round(s.currentN)}</td></tr>`);
  return `<table class="stats">${rows.join('')}</table>`;
}

const CSS = `body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px auto;max-width:1200px;color:#111;padding:0 16px}
h1{margin:0 0 4px}h2{margin:24px 0 8px}.muted{color:#666}.small{font-size:12px}
.verdict{border:3px solid;border-radius:8px;padding:12px 16px}.verdict h2{margin-top:8px}
.badge{display:inline-block;color:#fff;border-radius:4px;padding:3px 8px;margin-right:6px;font-weight:600}.badge.neutral{background:#e5e7eb;color:#111}
table{border-collapse:collapse;margin:6px 0}td,th{border-bottom:1px solid #e5e7eb;padding:4px 8px;text-align:left;vertical-align:top}
table.stats td{border:none;padding:1px 6px;font-size:12px}tr.drifted>td:first-child{border-left:4px solid #b91c1c}
.bad{color:#b91c1c}.key{display:inline-block;width:10px;height:10px}.key.ref{background:#9aa5b1}.key.cur{background:#2563eb}
li.critical{color:#b91c1c}li.warning{color:#a16207}pre{background:#f6f8fa;padding:8px;overflow:auto;font-size:12px}`;

function windowText(w: DriftReport['reference']): string {
  return `${w.rows} rows, ${w.counters} counters, ${iso(w.fromMs)} → ${iso(w.toMs)}`;
}
function iso(ms: number): string {
  return Number.isFinite(ms) ? new Date(ms).toISOString().slice(0, 16).replace('T', ' ') + 'Z' : '–';
}
function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}
function signedPct(x: number): string {
  return `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%`;
}
function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  return Math.abs(v) >= 1000 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toFixed(4);
}
function sci(v: number): string {
  return v === 0 ? '0' : v < 1e-3 ? v.toExponential(1) : v.toFixed(3);
}
