import type { LoggedImport } from '../data/import-log';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigError } from '../core/errors';
import type { Warehouse } from '../storage/warehouse';
import type { ChampionRegistry } from '../registry/champion-registry';
import { buildDomainMetrics, type MetricsSnapshot, type OpenRun } from './domain-metrics';

/** Where the domain metrics come from. Each source may fail alone: its metrics are then absent and `source_up` 0. */
export interface MetricsSources {
  warehouse: Pick<Warehouse, 'listAudit'>;
  registry: Pick<ChampionRegistry, 'snapshot'>;
  /** Temporal visibility (open runs); absent: not asked. */
  openRuns?: () => Promise<OpenRun[]>;
  /** The newest `data import` record (src/data/import-log.ts); absent: only audited replacements count. */
  lastImport?: () => Promise<LoggedImport | null>;
  configured: MetricsSnapshot['configured'];
  clock?: () => number;
  /** Where a source's failure (and its recovery) is reported; once per change, not at every scrape. */
  log?: (message: string) => void;
}

/**
 * A scrape opens the warehouse, which DuckDB lets one process hold at a time
 * (the worker writes audit rows): collections are shared by concurrent
 * scrapes and reused for this long, so a second Prometheus cannot double the load.
 */
const REUSE_MS = 5000;

export interface MetricsCollector {
  collect(): Promise<MetricsSnapshot>;
  /** The exposition text of a fresh (or just collected) snapshot. */
  render(): Promise<{ contentType: string; body: string }>;
}

export function createMetricsCollector(src: MetricsSources): MetricsCollector {
  const clock = src.clock ?? Date.now;
  const log = src.log ?? ((m: string) => console.error(m));
  const failing = new Map<string, string>();
  let last: { atMs: number; snapshot: Promise<MetricsSnapshot> } | null = null;

  async function read<T>(source: string, work: () => Promise<T>): Promise<T | null> {
    try {
      const value = await work();
      if (failing.delete(source)) log(`metrics: ${source} readable again`);
      return value;
    } catch (err) {
      const message = (err as Error).message;
      if (failing.get(source) !== message) log(`metrics: cannot read the ${source}: ${message}`);
      failing.set(source, message);
      return null;
    }
  }

  async function collectNow(): Promise<MetricsSnapshot> {
    const [audit, registry, openRuns, lastImport] = await Promise.all([
      read('audit trail', () => src.warehouse.listAudit()),
      read('registry', () => src.registry.snapshot()),
      src.openRuns ? read('Temporal visibility', src.openRuns) : Promise.resolve(null),
      src.lastImport ? read('import log', src.lastImport) : Promise.resolve(null),
    ]);
    return { nowMs: clock(), audit, registry, openRuns, configured: src.configured, lastImport };
  }

  const collector: MetricsCollector = {
    collect() {
      const now = clock();
      if (!last || now - last.atMs >= REUSE_MS) last = { atMs: now, snapshot: collectNow() };
      return last.snapshot;
    },
    async render() {
      const reg = buildDomainMetrics(await collector.collect());
      return { contentType: reg.contentType, body: await reg.metrics() };
    },
  };
  return collector;
}

/** `host:port` → what `listen` takes (`[::1]:9464` → `::1`, 9464). */
export function parseListenAddress(address: string): { host: string; port: number } {
  const i = address.lastIndexOf(':');
  const host = address.slice(0, i).replace(/^\[(.*)\]$/, '$1');
  return { host, port: Number(address.slice(i + 1)) };
}

export interface RunningMetricsServer {
  /** `http://host:port/metrics` (the bound port, when 0 was asked). */
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Serves `GET /metrics` (Prometheus text format) on `address`; anything else is a 404 naming the path. */
export async function startMetricsServer(address: string, collector: MetricsCollector): Promise<RunningMetricsServer> {
  const { host, port } = parseListenAddress(address);
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' || path !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('bike-retrain metrics: GET /metrics\n');
      return;
    }
    collector.render().then(
      (m) => res.writeHead(200, { 'content-type': m.contentType }).end(m.body),
      (err: unknown) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`${(err as Error).message}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        new ConfigError(
          `cannot serve metrics on ${address}: ${err.code ?? err.message}${err.code === 'EADDRINUSE' ? ' (the port is taken: choose another one)' : ''}`,
        ),
      ),
    );
    server.listen(port, host, () => resolve());
  });
  const bound = (server.address() as AddressInfo).port;
  const shown = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shown}:${bound}/metrics`,
    port: bound,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
