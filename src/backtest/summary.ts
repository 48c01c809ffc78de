import type { BacktestPolicy, BacktestResult } from '../core/domain';

/** The three policies every backtest compares, in display order; labelled candidate chains follow. */
export const POLICIES: readonly BacktestPolicy[] = ['configured', 'never', 'always'];

/** The policies of a result: the three, then any other chain, in the order it ran. */
export function policiesOf(r: BacktestResult): BacktestPolicy[] {
  const extra = new Set<string>();
  for (const w of r.weeks) for (const p of Object.keys(w.runs)) if (!POLICIES.includes(p)) extra.add(p);
  return [...POLICIES.filter((p) => p === 'never' || r.weeks.some((w) => w.runs[p])), ...extra];
}

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
  return policiesOf(r).map((policy) => {
    const scores = r.weeks.map((w) => w.next[policy]?.rmse).filter((x): x is number => typeof x === 'number');
    const deploys = r.weeks.filter((w) => w.runs[policy]?.decision === 'deploy').length;
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
  const policies = policiesOf(r);
  const width = (p: string) => Math.max(8, p.length);
  const lines = [
    `${'as of'.padEnd(10)}  ${'decision'.padEnd(24)}  ${policies.map((p) => p.padStart(width(p))).join('  ')}  reason`,
  ];
  for (const w of r.weeks) {
    const run = w.runs.configured;
    const scores = policies.map((p) => f(w.next[p]?.rmse).padStart(width(p))).join('  ');
    lines.push(`${w.asOf.slice(0, 10)}  ${(run?.decision ?? '—').padEnd(24)}  ${scores}  ${run?.reason ?? ''}`);
  }
  lines.push('', 'next-week RMSE per policy:');
  for (const s of summarizeBacktest(r))
    lines.push(
      `  ${s.policy.padEnd(12)} mean ${f(s.meanRmse)}  worst ${f(s.worstRmse)}  deploys ${s.deploys}  (${s.weeks} weeks scored)`,
    );
  return lines.join('\n');
}
