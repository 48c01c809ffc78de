/**
 * Errors a person can act on from their message alone: bad configuration or
 * input, a run already in progress, a champion change that cannot be made, no
 * Temporal server, no such workflow. Matched by name, so this module loads
 * none of the modules that define them.
 */
const EXPECTED_ERRORS = new Set([
  'ConfigError',
  'BadInputError',
  'RunInProgressError',
  'PromotionConflictError',
  'TemporalUnreachableError',
  'WorkflowNotFoundError',
]);

/**
 * Temporal client errors whose own message is generic ("Workflow execution failed", "Workflow Update
 * failed"): the person needs the cause the run or the update gave, e.g. `detectDrift: no rows …`.
 */
const FAILED_WITH_CAUSE = new Set(['WorkflowFailedError', 'WorkflowUpdateFailedError']);

/** File-system errors about a path the user gave, in words. */
const FS_ERRORS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EISDIR: 'is a directory',
  ENOTDIR: 'not a directory',
};

/** `error: message` for an expected error; the stack (with its message) for anything else. */
export function reportError(err: unknown): string {
  if (!(err instanceof Error)) return `error: ${String(err)}`;
  const { code, path } = err as NodeJS.ErrnoException;
  if (typeof code === 'string' && typeof path === 'string' && code in FS_ERRORS)
    return `error: ${path}: ${FS_ERRORS[code]}`;
  if (EXPECTED_ERRORS.has(err.name)) return `error: ${err.message}`;
  if (FAILED_WITH_CAUSE.has(err.name)) {
    let cause: unknown = err.cause;
    while (cause instanceof Error && cause.cause instanceof Error && !cause.message) cause = cause.cause;
    const why = cause instanceof Error && cause.message ? cause.message : err.message;
    return `error: ${err.name === 'WorkflowUpdateFailedError' ? 'refused' : 'the run failed'}: ${why}`;
  }
  return err.stack ?? `${err.name}: ${err.message}`;
}
