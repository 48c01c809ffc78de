// Debian packages the cluster tests need, installed by `npm run setup:test-tools` when missing (like Chromium):
// PostgreSQL (the Temporal cluster's database in test/cluster/) and docker-compose (validates
// docker-compose.temporal.yml in test/unit/deploy/). As root they are installed with apt-get; otherwise the
// command to run is printed and setup fails. Nothing is installed when they are already there.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { isExecutable } from '../src/tools/go-tools';

export interface AptTool {
  /** How messages name it. */
  name: string;
  aptPackage: string;
  /** Whoever needs it, for the error message. */
  neededBy: string;
  /** Its path when installed, else null. */
  find: (env: NodeJS.ProcessEnv) => string | null;
}

export const aptInstallCommand = (pkg: string) => `apt-get update && apt-get install -y ${pkg}`;

/**
 * How long apt-get waits for the dpkg lock. A fresh Debian machine often holds it for minutes (unattended
 * upgrades, another install), and apt-get's default is to fail at once: setup then stops half done.
 */
export const APT_LOCK_TIMEOUT_S = 600;

/** `apt-get update` then `apt-get install -y PKG`, non-interactive, waiting for the dpkg lock; throws on failure. */
export function aptGetInstall(pkg: string, env: NodeJS.ProcessEnv = process.env): void {
  const aptEnv = { ...env, DEBIAN_FRONTEND: 'noninteractive' };
  const wait = ['-o', `DPkg::Lock::Timeout=${APT_LOCK_TIMEOUT_S}`];
  for (const args of [['update'], ['install', '-y', pkg]]) {
    const r = spawnSync('apt-get', [...wait, ...args], { env: aptEnv, stdio: ['ignore', 'inherit', 'inherit'] });
    if (r.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed (exit ${r.status})`);
  }
}

const POSTGRES_ROOT = '/usr/lib/postgresql';
/** PostgreSQL's major version in Debian 12 (bookworm): what the cluster test runs, what docker-compose.temporal.yml pins. */
export const DEBIAN_POSTGRES_MAJOR = 15;

/**
 * The folder of PostgreSQL's server programs (initdb, postgres, pg_isready): $POSTGRES_BIN_DIR, else
 * Debian's /usr/lib/postgresql/<newest major>/bin; null when neither holds initdb.
 */
export function findPostgresBinDir(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.POSTGRES_BIN_DIR) {
    if (!isExecutable(join(env.POSTGRES_BIN_DIR, 'initdb')))
      throw new Error(`POSTGRES_BIN_DIR=${env.POSTGRES_BIN_DIR} holds no initdb; fix it, or unset it to use Debian's`);
    return env.POSTGRES_BIN_DIR;
  }
  if (!existsSync(POSTGRES_ROOT)) return null;
  const majors = readdirSync(POSTGRES_ROOT)
    .filter((d) => /^\d+$/.test(d))
    .sort((a, b) => Number(b) - Number(a));
  const dir = majors.map((m) => join(POSTGRES_ROOT, m, 'bin')).find((d) => isExecutable(join(d, 'initdb')));
  return dir ?? null;
}

export const POSTGRES: AptTool = {
  name: 'PostgreSQL',
  aptPackage: 'postgresql',
  neededBy: 'the cluster test (npm run test:cluster)',
  find: (env) => findPostgresBinDir(env),
};

export const DOCKER_COMPOSE: AptTool = {
  name: 'docker-compose',
  aptPackage: 'docker-compose',
  neededBy: 'the docker-compose.temporal.yml test (test/unit/deploy/)',
  find: () => (isExecutable('/usr/bin/docker-compose') ? '/usr/bin/docker-compose' : null),
};

/** The error for a missing tool: what needs it and the command that installs it. */
export function missingToolMessage(tool: AptTool): string {
  return `${tool.name} not found; ${tool.neededBy} needs it. Run \`npm run setup\` (as root it runs \`${aptInstallCommand(tool.aptPackage)}\`).`;
}

/** Finds the tool or installs its package with apt-get (as root); throws with the command to run otherwise. */
export function ensureAptTool(
  tool: AptTool,
  log: (msg: string) => void = console.error,
  env: NodeJS.ProcessEnv = process.env,
): string {
  const found = tool.find(env);
  if (found) {
    log(`${tool.name} ready: ${found}`);
    return found;
  }
  const isRoot = process.getuid?.() === 0;
  if (!isRoot || !isExecutable('/usr/bin/apt-get'))
    throw new Error(
      `${tool.name} not found; ${tool.neededBy} needs it.\n` +
        `Install it as root:  sudo sh -c '${aptInstallCommand(tool.aptPackage)}'\nthen rerun: npm run setup:test-tools`,
    );
  log(`Installing ${tool.name}: ${aptInstallCommand(tool.aptPackage)}`);
  aptGetInstall(tool.aptPackage, env);
  const installed = tool.find(env);
  if (!installed) throw new Error(`apt-get installed ${tool.aptPackage} but ${tool.name} is still not found`);
  log(`${tool.name} ready: ${installed}`);
  return installed;
}
