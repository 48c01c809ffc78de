import type { BacktestPolicy, BacktestResult } from '../core/domain';

export const POLICIES: readonly BacktestPolicy[] = ['configured', 'never', 'always'];

export interface PolicySummary {
  policy: BacktestPolicy;
  /** Weeks with a scored next interval. */
  weeks: number;
  meanRmse: number | null;
  worstRmse: number | null;
  /** Promotions the policy made (never: 0). */
  deploys: number;
}

/** Mean and worst next-week RMSE, and deploys, per policy: the figures a retraining policy is judged by. */
export function summarizeBacktest(r: BacktestResult): PolicySummary[] {
  return POLICIES.filter((p) => p === 'never' || r.weeks.some((w) => w.runs[p])).map((policy) => {
    const scores = r.weeks.map((w) => w.next[policy]?.rmse).filter((x): x is number => typeof x === 'number');
    const deploys =
      policy === 'never'
        ? 0
        : r.weeks.filter((w) => w.runs[policy as Exclude<BacktestPolicy, 'never'>]?.decision === 'deploy').length;
    return {
      policy,
      weeks: scores.length,
      meanRmse: scores.length ? scores.reduce((a, b) => a + b, 0) / scores.length : null,
      worstRmse: scores.length ? Math.max(...scores) : null,
      deploys,
    };
  });
}

/** The plain-text table: per week the configured policy's decision and every policy's next-week RMSE. */
export function backtestTable(r: BacktestResult): string {
  const f = (x: number | null | undefined) => (typeof x === 'number' ? x.toFixed(2) : '—');
  const lines = [
    `${'as of'.padEnd(10)}  ${'decision'.padEnd(24)}  ${'configured'.padStart(10)}  ${'never'.padStart(8)}  ${'always'.padStart(8)}  reason`,
  ];
  for (const w of r.weeks) {
    const run = w.runs.configured;
    lines.push(
      `${w.asOf.slice(0, 10)}  ${(run?.decision ?? '—').padEnd(24)}  ${f(w.next.configured?.rmse).padStart(10)}  ${f(
        w.next.never?.rmse,
      ).padStart(8)}  ${f(w.next.always?.rmse).padStart(8)}  ${run?.reason ?? ''}`,
    );
  }
  lines.push('', 'next-week RMSE per policy:');
  for (const s of summarizeBacktest(r))
    lines.push(
      `  ${s.policy.padEnd(10)} mean ${f(s.meanRmse)}  worst ${f(s.worstRmse)}  deploys ${s.deploys}  (${s.weeks} weeks scored)`,
    );
  return lines.join('\n');
}
