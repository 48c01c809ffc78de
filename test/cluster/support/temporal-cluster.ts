import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { findGoTool, TEMPORAL_CLI, TEMPORAL_SERVER, TEMPORAL_SQL_TOOL, type GoTool } from '../../../src/tools/go-tools';
import { freePortBelow32768, sleep } from './net';
import type { PostgresServer } from './postgres';

/** The repository's top folder, and the cluster scripts and config shared with docker-compose.temporal.yml. */
export const REPO_ROOT = join(__dirname, '../../..');
export const DEPLOY_DIR = join(REPO_ROOT, 'deploy/temporal');
export const SETUP_SCHEMA_SCRIPT = join(DEPLOY_DIR, 'setup-schema.sh');
export const REGISTER_SCRIPT = join(DEPLOY_DIR, 'register-search-attributes.sh');
/** `--config` (relative to `--root`) and `--env` of `server start`: deploy/temporal/config/postgres.yaml. */
export const SERVER_CONFIG = {
  dir: 'deploy/temporal/config',
  env: 'postgres',
  dynamicConfig: 'deploy/temporal/config/dynamicconfig.yaml',
} as const;
/** The frontend's HTTP API call that tells the server is up: the compose file's health check and this test's wait. */
export const SERVER_HEALTH_PATH = '/api/v1/cluster-info';

async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(2_000) })).ok;
  } catch {
    return false;
  }
}

export interface TemporalCluster {
  address: string;
  namespace: string;
  logFile: string;
  /** Measured: schema set-up, the server's start until its frontend answers, namespace + search attributes. */
  timings: { schemaMs: number; serverStartMs: number; registerMs: number };
  /** Everything the set-up scripts printed, for checks (no secret in it). */
  scriptOutput: string;
  /** Runs setup-schema.sh again (it must be a no-op); resolves to its output. */
  setUpSchema: () => Promise<string>;
  /** Runs register-search-attributes.sh again (it must be a no-op); resolves to its output. */
  registerSearchAttributes: () => Promise<string>;
  stop: () => Promise<void>;
}

function requireGoTool(tool: GoTool): string {
  const path = findGoTool(tool);
  if (!path)
    throw new Error(
      `${tool.name} ${tool.version} (${tool.binary}) not found at $${tool.envVar} or in the cache: run \`npm run setup\``,
    );
  return path;
}

/**
 * The PostgreSQL schema folder shipped in the go.temporal.io/server module
 * `npm run setup` built the server from ($TEMPORAL_SCHEMA_DIR overrides it).
 */
export function temporalSchemaDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.TEMPORAL_SCHEMA_DIR) return env.TEMPORAL_SCHEMA_DIR;
  const modCache = env.GOMODCACHE || join(env.GOPATH || join(homedir(), 'go'), 'pkg', 'mod');
  const dir = join(modCache, `go.temporal.io/server@${TEMPORAL_SERVER.version}`, 'schema/postgresql/v12');
  if (!existsSync(dir))
    throw new Error(
      `Temporal's PostgreSQL schema not found at ${dir}: run \`npm run setup\` (it builds the server from that module), or set TEMPORAL_SCHEMA_DIR`,
    );
  return dir;
}

function runScript(script: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(script, args, { env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      const output = stdout + stderr;
      if (err) reject(new Error(`${script} failed (${err.code ?? err.signal}):\n${output.slice(-4000)}`));
      else resolve(output);
    });
  });
}

/**
 * A real Temporal cluster on `pg`, set up as docker-compose.temporal.yml sets
 * one up, with the same scripts and config: setup-schema.sh, the server
 * binary (all four services in one process) on free ports of 127.0.0.1, then
 * register-search-attributes.sh (namespace and search attributes).
 */
export async function startTemporalCluster(pg: PostgresServer, namespace = 'default'): Promise<TemporalCluster> {
  const [server, sqlTool, cli] = [
    requireGoTool(TEMPORAL_SERVER),
    requireGoTool(TEMPORAL_SQL_TOOL),
    requireGoTool(TEMPORAL_CLI),
  ];
  const sqlEnv = {
    SQL_HOST: pg.host,
    SQL_PORT: String(pg.port),
    SQL_USER: pg.user,
    SQL_PASSWORD: pg.password,
    SQL_PLUGIN: 'postgres12',
  };
  const dir = mkdtempSync(join(tmpdir(), 'bike-retrain-temporal-'));
  const logFile = join(dir, 'temporal-server.log');
  let child: ChildProcess | undefined;
  const stop = async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child!.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child!.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
  };

  try {
    let t = Date.now();
    const setUpSchema = () =>
      runScript(SETUP_SCHEMA_SCRIPT, [temporalSchemaDir()], { ...process.env, ...sqlEnv, TEMPORAL_SQL_TOOL: sqlTool });
    let scriptOutput = await setUpSchema();
    const schemaMs = Date.now() - t;

    // Its own ports, none of the dev server's (7233…): each service's gRPC and membership port, the HTTP API.
    const services = ['FRONTEND', 'HISTORY', 'MATCHING', 'WORKER'];
    const ports: Record<string, string> = {};
    for (const name of [...services.flatMap((s) => [`${s}_PORT`, `${s}_MEMBERSHIP_PORT`]), 'FRONTEND_HTTP_PORT'])
      ports[`TEMPORAL_${name}`] = String(await freePortBelow32768());
    const address = `127.0.0.1:${ports.TEMPORAL_FRONTEND_PORT}`;
    const healthUrl = `http://127.0.0.1:${ports.TEMPORAL_FRONTEND_HTTP_PORT}${SERVER_HEALTH_PATH}`;

    t = Date.now();
    const out = openSync(logFile, 'a');
    child = spawn(server, ['--root', REPO_ROOT, '--config', SERVER_CONFIG.dir, '--env', SERVER_CONFIG.env, 'start'], {
      env: {
        ...process.env,
        ...sqlEnv,
        ...ports,
        // As in the compose file: listening on every interface, members announced at one address.
        TEMPORAL_BIND_ON_IP: '0.0.0.0',
        TEMPORAL_BROADCAST_ADDRESS: '127.0.0.1',
        TEMPORAL_LOG_LEVEL: 'warn',
        TEMPORAL_DYNAMIC_CONFIG: join(REPO_ROOT, SERVER_CONFIG.dynamicConfig),
      },
      stdio: ['ignore', out, out],
    });
    closeSync(out);
    const deadline = Date.now() + 120_000;
    while (!(await answers(healthUrl))) {
      if (child.exitCode !== null)
        throw new Error(
          `the Temporal server exited (code ${child.exitCode}):\n${readFileSync(logFile, 'utf8').slice(-4000)}`,
        );
      if (Date.now() > deadline)
        throw new Error(`the Temporal server did not answer at ${healthUrl} within 120 s; see ${logFile}`);
      await sleep(200);
    }
    const serverStartMs = Date.now() - t;

    t = Date.now();
    const registerSearchAttributes = () =>
      runScript(REGISTER_SCRIPT, [], {
        ...process.env,
        TEMPORAL_ADDRESS: address,
        TEMPORAL_NAMESPACE: namespace,
        TEMPORAL_CLI: cli,
      });
    scriptOutput += await registerSearchAttributes();
    const registerMs = Date.now() - t;

    return {
      address,
      namespace,
      logFile,
      timings: { schemaMs, serverStartMs, registerMs },
      scriptOutput,
      setUpSchema,
      registerSearchAttributes,
      stop: async () => {
        await stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
