import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { METRIC } from '../../../src/metrics/domain-metrics';
import {
  ALERTS_FILE,
  dashboardQueries,
  DASHBOARD_FILE,
  grafanaInterpolate,
  OPS,
  promtool,
  type Dashboard,
} from '../../support/prometheus';

const dashboard = JSON.parse(readFileSync(DASHBOARD_FILE, 'utf8')) as Dashboard;
const ours = new Set<string>(Object.values(METRIC));
/** A histogram's series: name_bucket, name_sum, name_count. */
const histogramSeries = (name: string) => name.replace(/_(bucket|sum|count)$/, '');

/** The metric names a PromQL expression names (identifiers followed by a selector, a range or the end). */
function metricNames(expr: string): string[] {
  return [...expr.matchAll(/\b((?:bike_retrain|temporal)_[a-z0-9_]+)/g)].map((m) => m[1]);
}

describe('alert rules (ops/prometheus/alerts.yml)', () => {
  it('pass `promtool check rules`', () => {
    const r = promtool(['check', 'rules', ALERTS_FILE]);
    expect(r.output).toContain('SUCCESS: 8 rules found');
    expect(r.code).toBe(0);
  });

  it('fire and stay quiet as `promtool test rules` fixtures say, every alert covered', () => {
    const fixtures = readFileSync(join(OPS, 'prometheus', 'alerts.test.yml'), 'utf8');
    const alerts = [...readFileSync(ALERTS_FILE, 'utf8').matchAll(/- alert: (\w+)/g)].map((m) => m[1]);
    expect(alerts).toHaveLength(8);
    for (const a of alerts) {
      // Each alert has a case where it fires (exp_alerts with labels) and one where it is quiet.
      const cases = fixtures.split(`alertname: ${a}\n`).slice(1);
      expect(
        cases.some((c) => /^\s+exp_alerts: \[\]/.test(c)),
        `${a} never checked quiet`,
      ).toBe(true);
      expect(
        cases.some((c) => /^\s+exp_alerts:\n\s+- exp_labels/.test(c)),
        `${a} never checked firing`,
      ).toBe(true);
    }
    const r = promtool(['test', 'rules', 'alerts.test.yml'], join(OPS, 'prometheus'));
    expect(r.output).toContain('SUCCESS');
    expect(r.code).toBe(0);
  });

  it('name only metrics that `metrics serve` exports (or Prometheus’s own `up`)', () => {
    const names = metricNames(readFileSync(ALERTS_FILE, 'utf8'));
    expect(names.length).toBeGreaterThan(8);
    for (const n of names) expect(ours, n).toContain(n);
  });

  it('the compose scrape config passes `promtool check config` and loads the rules', () => {
    const r = promtool(['check', 'config', join(OPS, 'prometheus', 'prometheus.yml')]);
    expect(r.output).toContain('SUCCESS: 8 rules found');
    expect(r.code).toBe(0);
  });
});

describe('Grafana dashboard (ops/grafana/dashboards/bike-retrain.json)', () => {
  const datasources = readFileSync(join(OPS, 'grafana', 'provisioning', 'datasources', 'prometheus.yml'), 'utf8');
  const uid = /uid: (\S+)/.exec(datasources)![1];

  it('has the panels the issue asks for, each on the provisioned datasource', () => {
    const titles = dashboard.panels.map((p) => p.title);
    for (const t of [
      'Runs by decision',
      'Champion RMSE and the ceiling',
      'Drift share',
      'Last run: step durations',
      'Activity failures',
    ])
      expect(titles).toContain(t);
    for (const p of dashboard.panels.filter((p) => p.type !== 'row')) {
      expect(p.datasource?.uid, p.title).toBe(uid);
      expect(p.targets?.length, p.title).toBeGreaterThan(0);
      for (const t of p.targets!) expect(t.datasource?.uid, p.title).toBe(uid);
    }
    // Promotions (and rollbacks) are marked on the time series.
    expect(dashboard.annotations.list.map((a) => a.expr)).toContain('changes(bike_retrain_champion_version[5m]) > 0');
  });

  it('queries only metrics that exist: ours, or the SDK’s with the names the worker runtime gives them', () => {
    const sdk = [
      'temporal_activity_schedule_to_start_latency_seconds',
      'temporal_workflow_task_schedule_to_start_latency_seconds',
      'temporal_activity_execution_failed_total',
      'temporal_activity_execution_latency_seconds',
    ];
    for (const q of dashboardQueries(dashboard))
      for (const n of metricNames(q.expr)) expect([...ours, ...sdk], `${q.where}: ${n}`).toContain(histogramSeries(n));
  });

  it('every query is valid PromQL (parsed by promtool as recording rules)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bike-retrain-dashboard-'));
    try {
      const rules = dashboardQueries(dashboard).map(
        (q, i) => `      - record: dashboard_query_${i}\n        expr: ${JSON.stringify(grafanaInterpolate(q.expr))}`,
      );
      writeFileSync(join(dir, 'queries.yml'), `groups:\n  - name: dashboard\n    rules:\n${rules.join('\n')}\n`);
      const r = promtool(['check', 'rules', join(dir, 'queries.yml')]);
      expect(r.output).toContain(`SUCCESS: ${rules.length} rules found`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is provisioned from the folder docker-compose mounts', () => {
    const provider = readFileSync(join(OPS, 'grafana', 'provisioning', 'dashboards', 'bike-retrain.yml'), 'utf8');
    expect(provider).toContain('path: /etc/grafana/dashboards');
    expect(dashboard.uid).toBe('bike-retrain');
  });
});
