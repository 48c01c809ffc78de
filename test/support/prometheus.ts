import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { PROMETHEUS_INSTALL_COMMAND, prometheusBinaries } from '../../scripts/setup-test-tools';

export const OPS = join(__dirname, '..', '..', 'ops');
export const ALERTS_FILE = join(OPS, 'prometheus', 'alerts.yml');
export const DASHBOARD_FILE = join(OPS, 'grafana', 'dashboards', 'bike-retrain.json');

/** Debian's prometheus and promtool; never skipped: missing, the test fails with the command that installs them. */
export function requirePrometheus(): { prometheus: string; promtool: string } {
  const bins = prometheusBinaries();
  for (const bin of Object.values(bins))
    expect(
      existsSync(bin),
      `${bin} not found: run \`npm run setup\` (as root it runs \`${PROMETHEUS_INSTALL_COMMAND}\`), or set PROMETHEUS_BIN_DIR`,
    ).toBe(true);
  return bins;
}

export function promtool(args: string[], cwd?: string): { code: number; output: string } {
  const r = spawnSync(requirePrometheus().promtool, args, { encoding: 'utf8', cwd, timeout: 120_000 });
  return { code: r.status ?? 1, output: `${r.stdout}${r.stderr}` };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface PromSample {
  metric: Record<string, string>;
  value?: [number, string];
  values?: [number, string][];
}

export interface RunningPrometheus {
  url: string;
  /** A range query (what Grafana's time series panels run) over [fromS, now], step 1 s. */
  queryRange(expr: string, fromS: number): Promise<PromSample[]>;
  query(expr: string): Promise<PromSample[]>;
  alerts(): Promise<{ labels: Record<string, string>; state: string }[]>;
  stop(): Promise<void>;
}

/**
 * A Prometheus server of its own (temp config and storage, a free port), scraping `jobs` every second and
 * evaluating `ruleFiles` every second.
 */
export async function startPrometheus(jobs: Record<string, string[]>, ruleFiles: string[]): Promise<RunningPrometheus> {
  const { prometheus } = requirePrometheus();
  const dir = mkdtempSync(join(tmpdir(), 'bike-retrain-prometheus-'));
  const config = [
    'global:',
    '  scrape_interval: 1s',
    '  evaluation_interval: 1s',
    'rule_files:',
    ...ruleFiles.map((f) => `  - ${JSON.stringify(f)}`),
    'scrape_configs:',
    ...Object.entries(jobs).flatMap(([job, targets]) => [
      `  - job_name: ${JSON.stringify(job)}`,
      '    static_configs:',
      `      - targets: ${JSON.stringify(targets)}`,
    ]),
  ].join('\n');
  writeFileSync(join(dir, 'prometheus.yml'), `${config}\n`);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let log = '';
  const child: ChildProcess = spawn(
    prometheus,
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  child.stderr?.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-20_000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`prometheus exited (${child.exitCode}):\n${log}`);
    const ready = await fetch(`${url}/-/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`prometheus not ready within 60 s:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  const api = async <T>(path: string, params: Record<string, string> = {}): Promise<T> => {
    const res = await fetch(`${url}/api/v1/${path}?${new URLSearchParams(params).toString()}`);
    const body = (await res.json()) as { status: string; data: T; error?: string };
    if (body.status !== 'success') throw new Error(`prometheus ${path} ${JSON.stringify(params)}: ${body.error}`);
    return body.data;
  };
  return {
    url,
    queryRange: async (expr, fromS) =>
      (
        await api<{ result: PromSample[] }>('query_range', {
          query: expr,
          start: String(fromS),
          end: String(Date.now() / 1000),
          step: '1',
        })
      ).result,
    query: async (expr) => (await api<{ result: PromSample[] }>('query', { query: expr })).result,
    alerts: async () => (await api<{ alerts: { labels: Record<string, string>; state: string }[] }>('alerts')).alerts,
    stop,
  };
}

/** What a dashboard's queries become once Grafana has filled its variables. */
export function grafanaInterpolate(expr: string): string {
  return expr.replaceAll('$__rate_interval', '15s').replaceAll('$__interval', '5s').replaceAll('$__range', '1h');
}

interface DashboardPanel {
  type: string;
  title: string;
  datasource?: { uid: string };
  targets?: { expr: string; datasource?: { uid: string } }[];
}

export interface Dashboard {
  uid: string;
  panels: DashboardPanel[];
  annotations: { list: { name: string; expr?: string; datasource?: { uid: string } }[] };
}

/** Every PromQL query of the dashboard: its panels' targets and its annotations. */
export function dashboardQueries(d: Dashboard): { where: string; expr: string }[] {
  return [
    ...d.panels.flatMap((p) => (p.targets ?? []).map((t) => ({ where: `panel "${p.title}"`, expr: t.expr }))),
    ...d.annotations.list.filter((a) => a.expr).map((a) => ({ where: `annotation "${a.name}"`, expr: a.expr! })),
  ];
}

export interface ExposedSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The samples of a Prometheus text exposition (what `GET /metrics` answers). */
export function parseExposition(text: string): ExposedSample[] {
  const out: ExposedSample[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)/.exec(line);
    if (!m) throw new Error(`not an exposition line: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]] = l[2].replace(/\\(.)/g, '$1');
    out.push({ name: m[1], labels, value: Number(m[3]) });
  }
  return out;
}

/** The samples named `name` whose labels include `labels`. */
export function samples(all: ExposedSample[], name: string, labels: Record<string, string> = {}): ExposedSample[] {
  return all.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
}

/** The one sample named `name` with `labels`; fails naming what was there otherwise. */
export function sampleValue(all: ExposedSample[], name: string, labels: Record<string, string> = {}): number {
  const found = samples(all, name, labels);
  if (found.length !== 1)
    throw new Error(
      `${found.length} samples of ${name}${JSON.stringify(labels)}; exposed: ${JSON.stringify(samples(all, name))}`,
    );
  return found[0].value;
}
