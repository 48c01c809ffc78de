/**
 * Inline SVG charts for the HTML report: no script, no fonts, no network,
 * so the file opens anywhere and stays small.
 */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const REF_COLOUR = '#9aa5b1';
const CUR_COLOUR = '#2563eb';
const DRIFT_COLOUR = '#dc2626';

/** Reference and current shares side by side per category. */
export function pairedBarChart(opts: {
  labels: string[];
  reference: number[];
  current: number[];
  drifted: boolean;
  title: string;
}): string {
  const { labels, reference, current } = opts;
  const n = labels.length;
  const width = 640;
  const height = 190;
  const left = 44;
  const bottom = n > 12 ? 62 : 28;
  const top = 10;
  const plotW = width - left - 8;
  const plotH = height - top - bottom;
  const max = Math.max(1e-9, ...reference, ...current);
  const slot = plotW / n;
  const bw = Math.max(1, slot * 0.38);
  const y = (v: number) => top + plotH - (v / max) * plotH;
  const cur = opts.drifted ? DRIFT_COLOUR : CUR_COLOUR;
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeHtml(opts.title)}">`,
  );
  parts.push(`<title>${escapeHtml(opts.title)}</title>`);
  for (const f of [0, 0.5, 1]) {
    const yy = y(max * f).toFixed(1);
    parts.push(`<line x1="${left}" x2="${width - 8}" y1="${yy}" y2="${yy}" stroke="#e5e7eb"/>`);
    parts.push(
      `<text x="${left - 4}" y="${yy}" font-size="10" text-anchor="end" dominant-baseline="middle" fill="#555">${(max * f * 100).toFixed(max * 100 < 10 ? 1 : 0)}%</text>`,
    );
  }
  for (let i = 0; i < n; i++) {
    const x0 = left + i * slot + slot * 0.1;
    const hr = top + plotH - y(reference[i]);
    const hc = top + plotH - y(current[i]);
    parts.push(
      `<rect class="bar-ref" x="${x0.toFixed(1)}" y="${y(reference[i]).toFixed(1)}" width="${bw.toFixed(1)}" height="${Math.max(0, hr).toFixed(1)}" fill="${REF_COLOUR}"><title>${escapeHtml(labels[i])} reference ${(reference[i] * 100).toFixed(2)}%</title></rect>`,
    );
    parts.push(
      `<rect class="bar-cur" x="${(x0 + bw).toFixed(1)}" y="${y(current[i]).toFixed(1)}" width="${bw.toFixed(1)}" height="${Math.max(0, hc).toFixed(1)}" fill="${cur}"><title>${escapeHtml(labels[i])} current ${(current[i] * 100).toFixed(2)}%</title></rect>`,
    );
    const lx = x0 + bw;
    const ly = top + plotH + 12;
    const label = escapeHtml(labels[i].length > 14 ? labels[i].slice(0, 13) + '…' : labels[i]);
    parts.push(
      n > 12
        ? `<text x="${lx.toFixed(1)}" y="${ly}" font-size="9" text-anchor="end" transform="rotate(-50 ${lx.toFixed(1)} ${ly})" fill="#333">${label}</text>`
        : `<text x="${lx.toFixed(1)}" y="${ly}" font-size="10" text-anchor="middle" fill="#333">${label}</text>`,
    );
  }
  parts.push('</svg>');
  return parts.join('');
}

/** A point estimate with its interval on a ratio axis, with the line at 1 (no change). */
export function intervalChart(opts: {
  ratio: number;
  lo: number;
  hi: number;
  threshold: number;
  title: string;
}): string {
  const width = 640;
  const height = 84;
  const lo = Math.min(0.8, opts.lo, 1) - 0.05;
  const hi = Math.max(1.3, opts.hi, opts.threshold) + 0.05;
  const x = (v: number) => 20 + ((v - lo) / (hi - lo)) * (width - 40);
  const p: string[] = [];
  p.push(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeHtml(opts.title)}"><title>${escapeHtml(opts.title)}</title>`,
  );
  // Labels on two rows (left-aligned at the line) so 1 and a nearby threshold never overprint.
  for (const [v, label, colour, ty] of [
    [1, 'no change (1)', '#555', 10],
    [opts.threshold, `concept threshold (${opts.threshold.toFixed(2)})`, DRIFT_COLOUR, 22],
  ] as const) {
    p.push(
      `<line x1="${x(v).toFixed(1)}" x2="${x(v).toFixed(1)}" y1="${ty - 8}" y2="70" stroke="${colour}" stroke-dasharray="4 3"/>`,
    );
    p.push(`<text x="${(x(v) + 3).toFixed(1)}" y="${ty}" font-size="10" fill="${colour}">${escapeHtml(label)}</text>`);
  }
  p.push(`<line x1="20" x2="${width - 20}" y1="50" y2="50" stroke="#ccc"/>`);
  p.push(
    `<line class="interval" x1="${x(opts.lo).toFixed(1)}" x2="${x(opts.hi).toFixed(1)}" y1="50" y2="50" stroke="${CUR_COLOUR}" stroke-width="4"/>`,
  );
  p.push(`<circle cx="${x(opts.ratio).toFixed(1)}" cy="50" r="6" fill="${CUR_COLOUR}"/>`);
  p.push(
    `<text x="${x(opts.ratio).toFixed(1)}" y="78" font-size="10" text-anchor="middle">${opts.ratio.toFixed(3)} [${opts.lo.toFixed(3)}, ${opts.hi.toFixed(3)}]</text>`,
  );
  p.push('</svg>');
  return p.join('');
}
