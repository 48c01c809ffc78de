import type { FitOptions } from './regressor';

type Progress = NonNullable<FitOptions['onProgress']>;

/**
 * Fits shared within a process by a key that names everything the fit depends on (the caller's: see
 * trainChallenger's challengerFitKey). A backtest runs its policy chains' workers in one process, and in
 * most weeks they train the very same challenger: the same rows, weights and parameters, so the engine
 * (deterministic) would grow the same trees again. A fit in flight is joined (its progress reaches every
 * caller, so each activity keeps heartbeating), and the last finished one is kept, one at a time. A fit
 * that fails is not kept: the next call fits again. The fit runs under its first caller's signal; a
 * caller joining it whose first caller cancels gets the cancellation, and its retry fits anew.
 */
export async function fitOnce<T>(
  key: string,
  onProgress: Progress | undefined,
  fit: (p: Progress) => Promise<T>,
): Promise<T> {
  if (last?.key === key) return last.value as T;
  let entry = inFlight.get(key);
  if (!entry) {
    const listeners = new Set<Progress>();
    const promise: Promise<unknown> = fit((p) => listeners.forEach((l) => l(p)));
    const created: InFlight = { promise, listeners };
    entry = created;
    inFlight.set(key, created);
    promise.then(
      (value) => (last = { key, value }),
      () => undefined,
    );
    void promise.finally(() => inFlight.delete(key)).catch(() => undefined);
  }
  if (onProgress) entry.listeners.add(onProgress);
  try {
    return (await entry.promise) as T;
  } finally {
    if (onProgress) entry.listeners.delete(onProgress);
  }
}

/** Drops the kept fit (when it is too large to keep in a worker between runs, or in tests). */
export function forgetSharedFit(key?: string): void {
  if (key === undefined || last?.key === key) last = null;
}

interface InFlight {
  promise: Promise<unknown>;
  listeners: Set<Progress>;
}

const inFlight = new Map<string, InFlight>();
let last: { key: string; value: unknown } | null = null;
