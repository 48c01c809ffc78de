import { spawnSync } from 'node:child_process';
import { accessSync, constants, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

/**
 * External programs built from Go modules, once, into a cache outside the
 * repository: nothing may be downloaded at run time here, and no prebuilt
 * binary is reachable, only the Go module proxy. Each one is looked up at its
 * environment variable, then in the cache; `ensureGoTool` builds what is
 * missing (`npm run setup` builds them all).
 */
export interface GoTool {
  /** Cache folder name and how messages name it. */
  name: string;
  version: string;
  /** The executable's file name in the cache folder. */
  binary: string;
  /** An environment variable that points at an existing binary instead. */
  envVar: string;
  /**
   * `install`: `go install PKG@VERSION` with GOBIN at the cache folder.
   * `build`: `go mod download MODULE@VERSION`, then `go build -o` from that module's (read-only) folder,
   * for modules whose version list the proxy refuses to `go install`.
   */
  how: { kind: 'install'; pkg: string } | { kind: 'build'; module: string; pkg: string };
  /** Build time measured on a 2-core host, for the message shown while it builds. */
  buildMinutes: number;
  /** Shown when it is missing and cannot be built. */
  installHint: string;
}

export const TEMPORAL_CLI: GoTool = {
  name: 'temporal-cli',
  // v1.5.1 is the newest tag `go install` can build (later tags carry a replace directive).
  version: 'v1.5.1',
  binary: 'temporal',
  envVar: 'TEMPORAL_CLI',
  how: { kind: 'install', pkg: 'github.com/temporalio/cli/cmd/temporal' },
  buildMinutes: 5,
  installHint: 'Install the Temporal CLI (https://docs.temporal.io/cli#install) and set TEMPORAL_CLI',
};

export const FAKE_GCS_SERVER: GoTool = {
  name: 'fake-gcs-server',
  version: 'v1.56.1',
  binary: 'fake-gcs-server',
  envVar: 'FAKE_GCS_SERVER',
  how: { kind: 'install', pkg: 'github.com/fsouza/fake-gcs-server' },
  buildMinutes: 2,
  installHint: 'Build github.com/fsouza/fake-gcs-server and set FAKE_GCS_SERVER',
};

export const BIGQUERY_EMULATOR: GoTool = {
  name: 'bigquery-emulator',
  version: 'v0.8.1',
  binary: 'bigquery-emulator',
  envVar: 'BIGQUERY_EMULATOR',
  // `go install …@v0.8.1` fails (the proxy refuses the module's version list); download + build works.
  how: { kind: 'build', module: 'github.com/goccy/bigquery-emulator', pkg: './cmd/bigquery-emulator' },
  buildMinutes: 9,
  installHint: 'Build github.com/goccy/bigquery-emulator (cmd/bigquery-emulator) and set BIGQUERY_EMULATOR',
};

export const TEMPORAL_SERVER: GoTool = {
  name: 'temporal-server',
  version: 'v1.29.1',
  binary: 'server',
  envVar: 'TEMPORAL_SERVER',
  how: { kind: 'install', pkg: 'go.temporal.io/server/cmd/server' },
  buildMinutes: 7,
  installHint: 'Build go.temporal.io/server/cmd/server and set TEMPORAL_SERVER',
};

export const TEMPORAL_SQL_TOOL: GoTool = {
  name: 'temporal-server',
  version: 'v1.29.1',
  binary: 'sql',
  envVar: 'TEMPORAL_SQL_TOOL',
  how: { kind: 'install', pkg: 'go.temporal.io/server/cmd/tools/sql' },
  buildMinutes: 2,
  installHint: 'Build go.temporal.io/server/cmd/tools/sql and set TEMPORAL_SQL_TOOL',
};

/** Everything `npm run setup` builds, in build order (quickest first). */
export const ALL_GO_TOOLS: readonly GoTool[] = [
  TEMPORAL_CLI,
  FAKE_GCS_SERVER,
  TEMPORAL_SERVER,
  TEMPORAL_SQL_TOOL,
  BIGQUERY_EMULATOR,
];

export function goToolDir(tool: GoTool, env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'bike-retrain', tool.name, tool.version);
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

export function onPath(name: string, env: NodeJS.ProcessEnv = process.env): string | null {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir && isExecutable(join(dir, name))) return join(dir, name);
  }
  return null;
}

/** `$ENV_VAR`, then the cache; null when neither is there. */
export function findGoTool(tool: GoTool, env: NodeJS.ProcessEnv = process.env): string | null {
  const fromEnv = env[tool.envVar];
  if (fromEnv) {
    if (!isExecutable(fromEnv)) throw new Error(`${tool.envVar}=${fromEnv} is not an executable file`);
    return fromEnv;
  }
  const cached = join(goToolDir(tool, env), tool.binary);
  return isExecutable(cached) ? cached : null;
}

function findGo(env: NodeJS.ProcessEnv): string | null {
  return onPath('go', env) ?? (isExecutable('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : null);
}

function run(go: string, args: string[], env: NodeJS.ProcessEnv, cwd?: string): number | null {
  return spawnSync(go, args, { env, cwd, stdio: ['ignore', 'inherit', 'inherit'] }).status;
}

/** Finds the tool or builds it with Go into the cache (minutes, once). */
export function ensureGoTool(
  tool: GoTool,
  log: (msg: string) => void = console.error,
  env: NodeJS.ProcessEnv = process.env,
): string {
  const found = findGoTool(tool, env);
  if (found) return found;
  const dir = goToolDir(tool, env);
  const go = findGo(env);
  if (!go)
    throw new Error(
      `${tool.name} ${tool.version} not found at $${tool.envVar} or ${dir}, and no Go toolchain to build it. ${tool.installHint}.`,
    );
  mkdirSync(dir, { recursive: true });
  const built = join(dir, tool.binary);
  log(`Building ${tool.name} ${tool.version} with Go into ${dir} (once; about ${tool.buildMinutes} min on 2 cores)…`);
  // Static binaries: no C toolchain needed, and they run on any Linux host of the same architecture.
  const goEnv = { ...env, CGO_ENABLED: '0', GOBIN: dir };
  let status: number | null;
  if (tool.how.kind === 'install') {
    status = run(go, ['install', `${tool.how.pkg}@${tool.version}`], goEnv);
  } else {
    const spec = `${tool.how.module}@${tool.version}`;
    // `-json` names the module's folder in the (read-only) module cache: build from there with -o into ours.
    const r = spawnSync(go, ['mod', 'download', '-json', spec], { env: goEnv, encoding: 'utf8' });
    const moduleDir = r.status === 0 ? (JSON.parse(r.stdout) as { Dir?: string }).Dir : undefined;
    if (!moduleDir) throw new Error(`go mod download ${spec} failed (exit ${r.status}): ${r.stderr || r.stdout}`);
    status = run(go, ['build', '-o', built, tool.how.pkg], goEnv, moduleDir);
  }
  if (status !== 0 || !isExecutable(built))
    throw new Error(`building ${tool.name} ${tool.version} failed (exit ${status})`);
  log(`${tool.name} ready: ${built}`);
  return built;
}
