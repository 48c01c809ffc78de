import type { BacktestPolicy, BacktestResult } from '../core/domain';
import { escapeHtml } from '../drift/svg-charts';
import { policiesOf, summarizeBacktest } from './summary';

const FIXED: Record<string, string> = { configured: '#2563eb', never: '#9aa5b1', always: '#f59e0b' };
const OTHERS = ['#16a34a', '#9333ea', '#db2777', '#0891b2', '#65a30d'];

function colours(policies: BacktestPolicy[]): Record<BacktestPolicy, string> {
  let k = 0;
  return Object.fromEntries(policies.map((p) => [p, FIXED[p] ?? OTHERS[k++ % OTHERS.length]]));
}

/**
 * A self-contained HTML report (inline SVG, no script, no network): weekly
 * next-week RMSE per policy, the configured policy's decisions as markers
 * (deploys filled, other decisions hollow), the table and the summary.
 */
export function renderBacktestHtml(
  r: BacktestResult,
  meta: { title: string; generatedAt: Date; command: string },
): string {
  const summary = summarizeBacktest(r);
  const POLICIES = policiesOf(r);
  const COLOURS = colours(POLICIES);
  const rows = r.weeks
    .map((w) => {
      const run = w.runs.configured;
      const cell = (p: BacktestPolicy) => (typeof w.next[p]?.rmse === 'number' ? w.next[p]!.rmse.toFixed(2) : '—');
      return `<tr><td>${w.asOf.slice(0, 10)}</td><td>${escapeHtml(run?.decision ?? '—')}</td>${POLICIES.map(
        (p) => `<td class="n">${cell(p)}</td>`,
      ).join('')}<td>${escapeHtml(run?.reason ?? '')}</td></tr>`;
    })
    .join('\n');
  const sums = summary
    .map(
      (s) =>
        `<tr><td><span class="dot" style="background:${COLOURS[s.policy]}"></span>${s.policy}</td><td class="n">${
          s.meanRmse?.toFixed(2) ?? '—'
        }</td><td class="n">${s.worstRmse?.toFixed(2) ?? '—'}</td><td class="n">${s.deploys}</td><td class="n">${s.weeks}</td></tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(meta.title)}</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:24px;color:#111827;max-width:1100px}
table{border-collapse:collapse;margin:12px 0}td,th{padding:3px 10px;border-bottom:1px solid #e5e7eb;text-align:left;vertical-align:top}
td.n{text-align:right;font-variant-numeric:tabular-nums}.dot{display:inline-block;width:10px;height:10px;border-radius:50%;margin-right:6px}
code{background:#f3f4f6;padding:1px 4px;border-radius:3px}.muted{color:#6b7280}
</style></head><body>
<h1>${escapeHtml(meta.title)}</h1>
<p class="muted">Generated ${meta.generatedAt.toISOString()} by <code>${escapeHtml(meta.command)}</code>. Each week: the
production model each policy would have had after that week's decision, scored on the interval that follows.</p>
${rmseChart(r)}
<h2>Summary: next-week RMSE</h2>
<table><tr><th>policy</th><th>mean</th><th>worst</th><th>deploys</th><th>weeks scored</th></tr>
${sums}</table>
<h2>Weeks</h2>
<table><tr><th>as of</th><th>decision (configured)</th>${POLICIES.map((p) => `<th>${p}</th>`).join('')}<th>reason</th></tr>
${rows}</table>
</body></html>
`;
}

function rmseChart(r: BacktestResult): string {
  const POLICIES = policiesOf(r);
  const COLOURS = colours(POLICIES);
  const width = 900;
  const height = 300;
  const left = 52;
  const right = 16;
  const top = 16;
  const bottom = 48;
  const n = r.weeks.length;
  const values = r.weeks.flatMap((w) =>
    POLICIES.map((p) => w.next[p]?.rmse).filter((x): x is number => typeof x === 'number'),
  );
  const max = Math.max(1e-9, ...values) * 1.08;
  const x = (i: number) => left + (n <= 1 ? 0.5 : i / (n - 1)) * (width - left - right);
  const y = (v: number) => top + (height - top - bottom) * (1 - v / max);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" id="rmse-chart" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="next-week RMSE per policy">`,
    `<title>Next-week RMSE per policy, decisions as markers</title>`,
  ];
  for (const f of [0, 0.25, 0.5, 0.75, 1]) {
    const v = (max / 1.08) * f;
    parts.push(
      `<line x1="${left}" x2="${width - right}" y1="${y(v)}" y2="${y(v)}" stroke="#e5e7eb"/><text x="${left - 6}" y="${y(v) + 4}" font-size="11" text-anchor="end" fill="#6b7280">${v.toFixed(0)}</text>`,
    );
  }
  r.weeks.forEach((w, i) => {
    if (n <= 16 || i % Math.ceil(n / 16) === 0)
      parts.push(
        `<text x="${x(i)}" y="${height - 26}" font-size="11" text-anchor="middle" fill="#6b7280">${w.asOf.slice(5, 10)}</text>`,
      );
  });
  for (const p of POLICIES) {
    const pts = r.weeks
      .map((w, i) =>
        typeof w.next[p]?.rmse === 'number' ? `${x(i).toFixed(1)},${y(w.next[p]!.rmse).toFixed(1)}` : null,
      )
      .filter((s): s is string => s !== null);
    if (pts.length)
      parts.push(
        `<polyline class="policy-${p}" fill="none" stroke="${COLOURS[p]}" stroke-width="2" points="${pts.join(' ')}"/>`,
      );
  }
  // One marker per decision of the configured policy: filled for a deploy, hollow otherwise.
  r.weeks.forEach((w, i) => {
    const run = w.runs.configured;
    if (!run) return;
    const v = w.next.configured?.rmse;
    const cy = typeof v === 'number' ? y(v) : height - bottom;
    const deploy = run.decision === 'deploy';
    parts.push(
      `<circle class="decision-marker" data-decision="${escapeHtml(run.decision)}" cx="${x(i).toFixed(1)}" cy="${cy.toFixed(
        1,
      )}" r="5" fill="${deploy ? COLOURS.configured : '#fff'}" stroke="${COLOURS.configured}" stroke-width="2"><title>${escapeHtml(
        `${w.asOf.slice(0, 10)}: ${run.decision} — ${run.reason}`,
      )}</title></circle>`,
    );
  });
  const legend = POLICIES.map(
    (p, k) =>
      `<rect x="${left + k * 120}" y="${height - 14}" width="10" height="10" fill="${COLOURS[p]}"/><text x="${left + 14 + k * 120}" y="${height - 5}" font-size="11">${p}</text>`,
  ).join('');
  parts.push(legend, '</svg>');
  return parts.join('\n');
}
