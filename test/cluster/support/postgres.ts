import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, mkdtempSync, openSync, closeSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findPostgresBinDir, missingToolMessage, POSTGRES } from '../../../scripts/apt-tools';
import { freePort, sleep } from './net';

/** A throwaway PostgreSQL server: a fresh data folder, a free port on 127.0.0.1, one password-protected role. */
export interface PostgresServer {
  host: string;
  port: number;
  user: string;
  /** Generated per server; passed to tools through the environment only. */
  password: string;
  logFile: string;
  /** `postgres --version`, e.g. "postgres (PostgreSQL) 15.14 (Debian 15.14-0+deb12u1)". */
  version: string;
  /** Measured: initdb, then the server's start until it accepts connections. */
  timings: { initdbMs: number; startMs: number };
  /** Stops the server (fast shutdown, then SIGKILL) and removes its folder. Safe to call twice. */
  stop: () => Promise<void>;
}

const SYSTEM_USER = 'postgres';

/**
 * initdb and postgres refuse to run as root, and CI runs as root: there they
 * run as the `postgres` system user Debian's package creates (setpriv execs,
 * so the child's pid is the postmaster's own and a signal reaches it).
 */
function asDbUser(): { command: (program: string, args: string[]) => [string, string[]]; uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return { command: (program, args) => [program, args] };
  const id = (flag: string) => {
    const r = spawnSync('id', [flag, SYSTEM_USER], { encoding: 'utf8' });
    if (r.status !== 0)
      throw new Error(
        `running as root, PostgreSQL needs the "${SYSTEM_USER}" system user: ${missingToolMessage(POSTGRES)}`,
      );
    return Number(r.stdout.trim());
  };
  const [uid, gid] = [id('-u'), id('-g')];
  const setpriv = ['--reuid', String(uid), '--regid', String(gid), '--init-groups', '--'];
  return { command: (program, args) => ['setpriv', [...setpriv, program, ...args]], uid, gid };
}

export async function startPostgres(user = 'temporal'): Promise<PostgresServer> {
  const bin = findPostgresBinDir();
  if (!bin) throw new Error(missingToolMessage(POSTGRES));
  const who = asDbUser();
  const dir = mkdtempSync(join(tmpdir(), 'bike-retrain-pg-'));
  const dataDir = join(dir, 'data');
  const logFile = join(dir, 'postgres.log');
  const password = randomBytes(12).toString('hex');
  const pwFile = join(dir, 'pwfile');
  writeFileSync(pwFile, `${password}\n`, { mode: 0o600 });
  if (who.uid !== undefined) {
    chownSync(dir, who.uid, who.gid!);
    chownSync(pwFile, who.uid, who.gid!);
  }
  let child: ChildProcess | undefined;
  const stop = async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child!.once('exit', () => resolve()));
      child.kill('SIGINT'); // fast shutdown: no waiting for clients
      const timer = setTimeout(() => child!.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    let t = Date.now();
    const init = spawnSync(
      ...who.command(join(bin, 'initdb'), [
        '--pgdata',
        dataDir,
        '--username',
        user,
        `--pwfile=${pwFile}`,
        '--auth-local=trust',
        '--auth-host=scram-sha-256',
        '--encoding=UTF8',
        '--no-sync',
      ]),
      { encoding: 'utf8' },
    );
    if (init.status !== 0) throw new Error(`initdb failed (exit ${init.status}): ${init.stderr || init.stdout}`);
    rmSync(pwFile);
    const initdbMs = Date.now() - t;

    const port = await freePort();
    t = Date.now();
    const out = openSync(logFile, 'a');
    const [file, args] = who.command(join(bin, 'postgres'), [
      '-D',
      dataDir,
      '-p',
      String(port),
      '-k',
      dir,
      '-c',
      'listen_addresses=127.0.0.1',
    ]);
    child = spawn(file, args, { stdio: ['ignore', out, out] });
    closeSync(out);
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (child.exitCode !== null)
        throw new Error(`postgres exited (code ${child.exitCode}): ${readFileSync(logFile, 'utf8').slice(-2000)}`);
      const ready = spawnSync(join(bin, 'pg_isready'), ['-q', '-h', '127.0.0.1', '-p', String(port)]);
      if (ready.status === 0) break;
      if (Date.now() > deadline) throw new Error(`postgres did not accept connections within 60 s; see ${logFile}`);
      await sleep(100);
    }
    const startMs = Date.now() - t;
    const version = spawnSync(join(bin, 'postgres'), ['--version'], { encoding: 'utf8' }).stdout.trim();
    return { host: '127.0.0.1', port, user, password, logFile, version, timings: { initdbMs, startMs }, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
