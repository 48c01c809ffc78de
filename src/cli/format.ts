import type { AuditRow, DoubleEvaluation, LevelSummary, ModelMetrics, MonitorStatus } from '../core/domain';

const f3 = (x: number | null | undefined) =>
  x === null || x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(3);

export function metricsLine(m: ModelMetrics | undefined | null): string {
  return m ? `RMSE ${f3(m.rmse)}  MAE ${f3(m.mae)}  R² ${f3(m.r2)}  (${m.rows} rows)` : '—';
}

export function evaluationBlock(
  row: Pick<AuditRow, 'champion' | 'challenger'> & { comparison?: DoubleEvaluation['comparison'] | null },
): string {
  if (!row.champion || !row.challenger) return '  (no evaluation: no fine-tune ran)';
  const c = row.comparison;
  const ratio = (x: NonNullable<typeof c>['current']) =>
    `ratio ${f3(x.rmseRatio)} [${f3(x.lo)}, ${f3(x.hi)}] (${Math.round(x.confidence * 100)}%, ${x.blocks} blocks), Wilcoxon p ${x.wilcoxonP.toExponential(1)}`;
  const comparisonLines = c
    ? [
        `  RMSE challenger ÷ champion  test_baseline ${ratio(c.baseline)}`,
        `                             test_current  ${ratio(c.current)}`,
      ]
    : [];
  return [
    `              ${'test_baseline'.padEnd(52)}  test_current`,
    `  champion    ${pad(metricsLine(row.champion.baseline))}  ${metricsLine(row.champion.current)}`,
    `  challenger  ${pad(metricsLine(row.challenger.baseline))}  ${metricsLine(row.challenger.current)}`,
    ...comparisonLines,
  ].join('\n');
}

const pad = (s: string) => s.padEnd(52);

export function auditTable(rows: AuditRow[]): string {
  const header = [
    'finished (UTC)',
    'workflow id',
    'source',
    'forced',
    'drift',
    'rule',
    'decision',
    'promoted',
    'error',
  ];
  const lines = rows.map((r) => [
    r.finishedAt.slice(0, 19).replace('T', ' '),
    r.workflowId,
    r.triggerSource,
    r.forced ? 'yes' : 'no',
    r.driftDetected === null ? '—' : `${r.driftDetected ? 'yes' : 'no'} (${f3(r.driftShare)})`,
    r.triggerRule ?? '—',
    r.decision,
    r.promoted ? `v${r.challengerVersion}` : 'no',
    r.error ? r.error.slice(0, 60) : '',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const fmt = (cols: string[]) =>
    cols
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  const count = (d: string) => rows.filter((r) => r.decision === d).length;
  const summary = `${rows.length} runs: ${count('deploy')} deployed, ${count('reject_regression')} rejected (regression), ${count('skip_no_improvement')} skipped (no improvement), ${count('skip_not_significant')} skipped (not significant), ${count('skip_not_approved')} not approved, ${count('skip_test_set_too_small')} skipped (test set too small), ${count('not_triggered')} not triggered, ${count('blocked_data_quality')} blocked (data quality), ${count('failed')} failed, ${count('rollback')} rollbacks, ${count('data_replace')} data replacements`;
  return [fmt(header), ...lines.map(fmt), '', summary].join('\n');
}

export function statusBlock(s: MonitorStatus, runStatus: string): string {
  const lines = [
    `run status     ${runStatus}`,
    `current step   ${s.step}`,
    `as of          ${s.asOf ?? '—'}`,
    `forced         ${s.forced ? 'yes' : 'no'}`,
  ];
  if (s.drift)
    lines.push(
      `drift          ${s.drift.driftDetected === null ? 'not assessed' : s.drift.driftDetected ? 'DETECTED' : 'none'} — ${s.drift.note}`,
    );
  if (s.championValidation)
    lines.push(
      `champion v${s.championValidation.championVersion}    ${metricsLine(s.championValidation.metrics)} (last days)`,
    );
  if (s.trigger)
    lines.push(
      `trigger        ${s.trigger.fineTune ? `fine-tune (${s.trigger.rule})` : 'no fine-tune'} — ${s.trigger.reason}`,
    );
  if (s.recentData) lines.push(`recent data    ${s.recentData.rows} rows, ${s.recentData.counters} counters`);
  if (s.challenger)
    lines.push(
      `challenger     trained on ${s.challenger.trainRows} rows in ${s.challenger.trainSeconds.toFixed(1)} s` +
        (s.challenger.level ? `; ${levelLine(s.challenger.level)}` : ''),
    );
  if (s.evaluation) lines.push(evaluationBlock(s.evaluation));
  if (s.decision) lines.push(`decision       ${s.decision} — ${s.decisionReason ?? ''}`);
  if (s.promotion)
    lines.push(
      `promotion      champion is now v${s.promotion.version} (previous v${s.promotion.previousChampion ?? '—'})`,
    );
  if (s.error) lines.push(`error          ${s.error}`);
  return lines.join('\n');
}

/** The challenger's measured level, e.g. "level ×0.21 (×0.18–×0.26 over 6 counters, 1–8 Mar)". */
export function levelLine(l: LevelSummary): string {
  const x = (f: number) => `×${f.toFixed(2)}`;
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return `level ${x(l.median)} median (${x(l.min)}–${x(l.max)} over ${l.counters} counters, ${day(l.fromMs)} to ${day(l.toMs - 1)})`;
}
