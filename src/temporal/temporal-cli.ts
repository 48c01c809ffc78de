import { spawnSync } from 'node:child_process';
import { accessSync, constants, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

/**
 * The Temporal CLI carries the dev server (SQLite, Web UI). v1.5.1 is the
 * newest tag `go install` can build (later tags carry a replace directive),
 * and nothing may be downloaded at run time here, so we build it from the Go
 * module proxy once, into a cache outside the repo.
 */
export const TEMPORAL_CLI_VERSION = 'v1.5.1';
export const TEMPORAL_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal';
export const INSTALL_PAGE = 'https://docs.temporal.io/cli#install';

export function cliCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'bike-retrain', 'temporal-cli', TEMPORAL_CLI_VERSION);
}

/** Whether `path` is a file this process may execute. */
export function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(name: string, env: NodeJS.ProcessEnv): string | null {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir && isExecutable(join(dir, name))) return join(dir, name);
  }
  return null;
}

/** `$TEMPORAL_CLI`, then `temporal` on PATH, then our cache; null when none is there. */
export function findTemporalCli(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.TEMPORAL_CLI) {
    if (!isExecutable(env.TEMPORAL_CLI)) throw new Error(`TEMPORAL_CLI=${env.TEMPORAL_CLI} is not an executable file`);
    return env.TEMPORAL_CLI;
  }
  const cached = join(cliCacheDir(env), 'temporal');
  return onPath('temporal', env) ?? (isExecutable(cached) ? cached : null);
}

/** Finds the CLI or builds it with Go (a few minutes, once). */
export function ensureTemporalCli(
  log: (msg: string) => void = console.error,
  env: NodeJS.ProcessEnv = process.env,
): string {
  const found = findTemporalCli(env);
  if (found) return found;
  const go = onPath('go', env) ?? (isExecutable('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : null);
  if (!go) {
    throw new Error(
      `No Temporal CLI found (looked at $TEMPORAL_CLI, PATH and ${cliCacheDir(env)}) and no Go toolchain to build it.\n` +
        `Install the Temporal CLI (${INSTALL_PAGE}) and put it on PATH or set TEMPORAL_CLI, or install Go and rerun.`,
    );
  }
  const dir = cliCacheDir(env);
  mkdirSync(dir, { recursive: true });
  log(`Building the Temporal CLI ${TEMPORAL_CLI_VERSION} with Go into ${dir} (once; takes a few minutes)…`);
  const r = spawnSync(go, ['install', `${TEMPORAL_CLI_MODULE}@${TEMPORAL_CLI_VERSION}`], {
    env: { ...env, GOBIN: dir },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const built = join(dir, 'temporal');
  if (r.status !== 0 || !isExecutable(built))
    throw new Error(`go install ${TEMPORAL_CLI_MODULE}@${TEMPORAL_CLI_VERSION} failed (exit ${r.status})`);
  log(`Temporal CLI ready: ${built}`);
  return built;
}
