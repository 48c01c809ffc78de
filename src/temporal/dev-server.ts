import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { AppConfig } from '../config/app-config';
import { ALL_SEARCH_ATTRIBUTES } from '../workflows/search-attributes';
import { ensureTemporalCli } from './temporal-cli';

export interface ServerState {
  address: string;
  /** 'existing' = something already answered at the address; 'started' = we started the dev server now. */
  origin: 'existing' | 'started';
  pid?: number;
  logFile?: string;
  uiUrl: string;
}

const pidFile = (home: string) => join(home, 'temporal-server.pid');

/**
 * Server settings of the dev server (dynamic config, off by default in the server). Eager activity
 * execution: an activity the workflow schedules on its own task queue goes to the worker in the
 * reply to the workflow task that scheduled it, not through a poll (the SDK asks for it by default:
 * ActivityOptions.allowEagerDispatch). A production cluster turns it on in its dynamic config file.
 */
export const DEV_SERVER_DYNAMIC_CONFIG = { 'system.enableActivityEagerExecution': true } as const;

export async function isServerUp(address: string, timeoutMs = 1500): Promise<boolean> {
  try {
    const c = await Connection.connect({ address, connectTimeout: timeoutMs });
    try {
      await c.workflowService.getSystemInfo({});
      return true;
    } finally {
      await c.close();
    }
  } catch {
    return false;
  }
}

/**
 * A server answering at TEMPORAL_ADDRESS is used as it is; otherwise the
 * Temporal CLI's dev server is started in the background with its database
 * in the data folder (runs survive restarts and stay inspectable in the Web
 * UI) and our search attributes registered.
 */
export async function ensureServer(cfg: AppConfig, log: (m: string) => void = console.error): Promise<ServerState> {
  const uiUrl = `http://localhost:${cfg.uiPort}`;
  if (await isServerUp(cfg.temporalAddress)) {
    await registerSearchAttributes(cfg);
    return { address: cfg.temporalAddress, origin: 'existing', uiUrl };
  }
  const cli = ensureTemporalCli(log);
  const [host, portText] = splitAddress(cfg.temporalAddress);
  mkdirSync(cfg.home, { recursive: true });
  const logFile = join(cfg.home, 'temporal-server.log');
  const out = openSync(logFile, 'a');
  const args = [
    'server',
    'start-dev',
    '--ip',
    host,
    '--port',
    portText,
    '--ui-port',
    String(cfg.uiPort),
    '--db-filename',
    join(cfg.home, 'temporal.sqlite'),
    '--namespace',
    cfg.namespace,
    '--log-level',
    'warn',
    ...Object.entries(DEV_SERVER_DYNAMIC_CONFIG).flatMap(([k, v]) => ['--dynamic-config-value', `${k}=${v}`]),
    ...ALL_SEARCH_ATTRIBUTES.flatMap((k) => ['--search-attribute', `${k.name}=${cliType(k.type)}`]),
  ];
  const child = spawn(cli, args, { detached: true, stdio: ['ignore', out, out] });
  closeSync(out);
  child.unref();
  writeFileSync(pidFile(cfg.home), String(child.pid));
  log(`Starting the Temporal dev server (pid ${child.pid}, log ${logFile})…`);
  const deadline = Date.now() + 60_000;
  while (!(await isServerUp(cfg.temporalAddress))) {
    if (child.exitCode !== null)
      throw new Error(`the Temporal dev server exited (code ${child.exitCode}); see ${logFile}`);
    if (Date.now() > deadline)
      throw new Error(`the Temporal dev server did not answer at ${cfg.temporalAddress} within 60 s; see ${logFile}`);
    await new Promise((r) => setTimeout(r, 300));
  }
  await registerSearchAttributes(cfg);
  return { address: cfg.temporalAddress, origin: 'started', pid: child.pid, logFile, uiUrl };
}

/** Stops the dev server this data folder started; returns false when none was running. */
export function stopServer(cfg: AppConfig): boolean {
  const file = pidFile(cfg.home);
  if (!existsSync(file)) return false;
  const pid = Number(readFileSync(file, 'utf8'));
  rmSync(file, { force: true });
  try {
    process.kill(pid, 'SIGTERM');
    return true;
  } catch {
    return false;
  }
}

/** Adds our search attributes to a server that lacks them (a server we did not start). */
export async function registerSearchAttributes(cfg: Pick<AppConfig, 'temporalAddress' | 'namespace'>): Promise<void> {
  const c = await Connection.connect({ address: cfg.temporalAddress });
  try {
    const existing = await c.operatorService.listSearchAttributes({ namespace: cfg.namespace });
    const have = new Set(Object.keys(existing.customAttributes ?? {}));
    const missing = ALL_SEARCH_ATTRIBUTES.filter((k) => !have.has(k.name));
    if (missing.length === 0) return;
    await c.operatorService.addSearchAttributes({
      namespace: cfg.namespace,
      searchAttributes: Object.fromEntries(missing.map((k) => [k.name, indexedType(k.type)])),
    });
  } finally {
    await c.close();
  }
}

function splitAddress(address: string): [string, string] {
  const i = address.lastIndexOf(':');
  if (i < 0) return [address, '7233'];
  return [address.slice(0, i) === 'localhost' ? '127.0.0.1' : address.slice(0, i), address.slice(i + 1)];
}

export function cliType(t: string): string {
  return (
    (
      {
        KEYWORD: 'Keyword',
        BOOL: 'Bool',
        TEXT: 'Text',
        INT: 'Int',
        DOUBLE: 'Double',
        DATETIME: 'Datetime',
        KEYWORD_LIST: 'KeywordList',
      } as Record<string, string>
    )[t] ?? t
  );
}

export function indexedType(t: string): temporal.api.enums.v1.IndexedValueType {
  const E = temporal.api.enums.v1.IndexedValueType;
  return (
    {
      KEYWORD: E.INDEXED_VALUE_TYPE_KEYWORD,
      BOOL: E.INDEXED_VALUE_TYPE_BOOL,
      TEXT: E.INDEXED_VALUE_TYPE_TEXT,
      INT: E.INDEXED_VALUE_TYPE_INT,
      DOUBLE: E.INDEXED_VALUE_TYPE_DOUBLE,
      DATETIME: E.INDEXED_VALUE_TYPE_DATETIME,
      KEYWORD_LIST: E.INDEXED_VALUE_TYPE_KEYWORD_LIST,
    } as Record<string, temporal.api.enums.v1.IndexedValueType>
  )[t];
}
