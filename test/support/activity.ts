import type { MockActivityEnvironment } from '@temporalio/testing';

/** `MockActivityEnvironment.run` with the activity's own argument and result types. */
export function runActivity<F extends (...args: never[]) => Promise<unknown>>(
  env: MockActivityEnvironment,
  fn: F,
  ...args: Parameters<F>
): ReturnType<F> {
  return env.run(fn as never, ...(args as never[])) as ReturnType<F>;
}
