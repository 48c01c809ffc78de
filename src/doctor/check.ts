/**
 * `bike-retrain doctor`'s building blocks: each check answers on its own
 * (a failure never hides the others) within its own time limit, and a failed
 * one names the fix a person can apply.
 */
export type CheckStatus = 'ok' | 'fail' | 'skip';

export interface CheckOutcome {
  status: CheckStatus;
  /** What was found (ok) or what is wrong (fail); no secret ever. */
  detail: string;
  /** The command or change that repairs it. */
  fix?: string;
}

export interface Check {
  name: string;
  run(): Promise<CheckOutcome>;
}

export interface CheckResult extends CheckOutcome {
  name: string;
  ms: number;
}

export const ok = (detail: string): CheckOutcome => ({ status: 'ok', detail });
export const fail = (detail: string, fix: string): CheckOutcome => ({ status: 'fail', detail, fix });
export const skip = (detail: string): CheckOutcome => ({ status: 'skip', detail });

/** Thrown by a check that cannot go on; its message is the detail. */
export class CheckFailed extends Error {
  constructor(
    detail: string,
    readonly fix: string,
  ) {
    super(detail);
  }
}

/** Runs every check concurrently, each bounded by `timeoutMs`; results in the checks' order. */
export async function runChecks(
  checks: readonly Check[],
  o: { timeoutMs: number; redact: (text: string) => string },
): Promise<CheckResult[]> {
  return Promise.all(
    checks.map(async (c): Promise<CheckResult> => {
      const t0 = performance.now();
      const out = await withTimeout(c, o.timeoutMs);
      const clean: CheckOutcome = {
        status: out.status,
        detail: o.redact(out.detail),
        ...(out.fix ? { fix: o.redact(out.fix) } : {}),
      };
      return { name: c.name, ...clean, ms: Math.round(performance.now() - t0) };
    }),
  );
}

async function withTimeout(c: Check, timeoutMs: number): Promise<CheckOutcome> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<CheckOutcome>((resolve) => {
    timer = setTimeout(
      () =>
        resolve(
          fail(
            `no answer within ${timeoutMs / 1000} s`,
            'check the address and the network path to it (or give it longer: --timeout SECONDS)',
          ),
        ),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([
      c
        .run()
        .catch((err: unknown) =>
          err instanceof CheckFailed ? fail(err.message, err.fix) : fail(errorText(err), 'see the error above'),
        ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** An error's first line, short: client libraries' messages can be long (and are redacted afterwards). */
export function errorText(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  const line = text.split('\n').find((l) => l.trim()) ?? text;
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}

/** The report: one line per check, its fix indented below; the summary last. */
export function formatResults(results: readonly CheckResult[]): string {
  const lines: string[] = [];
  for (const r of results) {
    lines.push(`${r.status === 'ok' ? 'ok  ' : r.status === 'fail' ? 'FAIL' : 'skip'}  ${r.name}: ${r.detail}`);
    if (r.status === 'fail' && r.fix) lines.push(`      fix: ${r.fix}`);
  }
  const failed = results.filter((r) => r.status === 'fail').length;
  lines.push(failed ? `${failed} of ${results.length} checks failed` : `all ${results.length} checks passed`);
  return lines.join('\n');
}
