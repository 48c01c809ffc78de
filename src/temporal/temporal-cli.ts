import { ensureGoTool, findGoTool, goToolDir, isExecutable, onPath, TEMPORAL_CLI } from '../tools/go-tools';

/**
 * The Temporal CLI carries the dev server (SQLite, Web UI). It is built from
 * the Go module proxy once, into a cache outside the repo (src/tools/go-tools.ts).
 */
export const TEMPORAL_CLI_VERSION = TEMPORAL_CLI.version;
export const INSTALL_PAGE = 'https://docs.temporal.io/cli#install';
export { isExecutable };

export function cliCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return goToolDir(TEMPORAL_CLI, env);
}

/** `$TEMPORAL_CLI`, then `temporal` on PATH, then our cache; null when none is there. */
export function findTemporalCli(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.TEMPORAL_CLI) return findGoTool(TEMPORAL_CLI, env);
  return onPath('temporal', env) ?? findGoTool(TEMPORAL_CLI, env);
}

/** Finds the CLI or builds it with Go (a few minutes, once). */
export function ensureTemporalCli(
  log: (msg: string) => void = console.error,
  env: NodeJS.ProcessEnv = process.env,
): string {
  return findTemporalCli(env) ?? ensureGoTool(TEMPORAL_CLI, log, env);
}
