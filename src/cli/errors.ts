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
  return err.stack ?? `${err.name}: ${err.message}`;
}
