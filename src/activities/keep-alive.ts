import { Context } from '@temporalio/activity';

/** How often a running activity heartbeats at least, whatever it is awaiting. */
export const KEEP_ALIVE_INTERVAL_MS = 2_000;

/**
 * Wraps an activity so it heartbeats every `everyMs` while it runs, with the
 * details of its own last heartbeat (the previous attempt's before its first
 * one, so resumable activities keep their checkpoint). A long awaited section
 * (a DuckDB COPY, a model load, a registry write) then never starves the
 * heartbeat, and the heartbeat timeout can be sized to this interval: a killed
 * worker's attempt times out in seconds, not minutes. Activities scheduled
 * without a heartbeat timeout run unwrapped. The SDK throttles what reaches
 * the server (80% of the heartbeat timeout at most).
 */
export function keepAlive<A extends unknown[], R>(
  fn: (...args: A) => Promise<R>,
  everyMs = KEEP_ALIVE_INTERVAL_MS,
): (...args: A) => Promise<R> {
  const wrapped = async (...args: A): Promise<R> => {
    const ctx = Context.current();
    if (!ctx.info.heartbeatTimeoutMs || ctx.info.isLocal) return fn(...args);
    const own = ctx.heartbeat;
    let last: unknown = ctx.info.heartbeatDetails;
    // The activity's own heartbeats go through as before; the timer repeats the latest one.
    (ctx as { heartbeat: (details?: unknown) => void }).heartbeat = (details?: unknown) => {
      last = details;
      own(details);
    };
    own(last);
    const timer = setInterval(() => own(last), everyMs);
    try {
      return await fn(...args);
    } finally {
      clearInterval(timer);
      (ctx as { heartbeat: (details?: unknown) => void }).heartbeat = own;
    }
  };
  // Temporal registers activities by their property names; keep the function's name for stack traces.
  Object.defineProperty(wrapped, 'name', { value: fn.name });
  return wrapped;
}
