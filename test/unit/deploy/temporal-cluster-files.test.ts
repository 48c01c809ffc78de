import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DEBIAN_POSTGRES_MAJOR,
  DOCKER_COMPOSE,
  findPostgresBinDir,
  missingToolMessage,
} from '../../../scripts/apt-tools';
import { DEV_SERVER_DYNAMIC_CONFIG } from '../../../src/temporal/dev-server';
import { TEMPORAL_SERVER } from '../../../src/tools/go-tools';
import { ALL_SEARCH_ATTRIBUTES } from '../../../src/workflows/search-attributes';
import {
  REGISTER_SCRIPT,
  REPO_ROOT,
  SERVER_CONFIG,
  SERVER_HEALTH_PATH,
  SETUP_SCHEMA_SCRIPT,
} from '../../cluster/support/temporal-cluster';

/**
 * docker-compose.temporal.yml, the Dockerfile and deploy/temporal/ against
 * what the cluster test runs (test/cluster/): the same scripts and server
 * config, the same versions. No image can be pulled here: Debian's
 * docker-compose validates the file and prints it normalized (anchors merged,
 * paths absolute), which is what is checked.
 */

const COMPOSE_FILE = join(REPO_ROOT, 'docker-compose.temporal.yml');

interface Service {
  image?: string;
  build?: { context: string };
  entrypoint?: string[];
  command?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  ports?: unknown[];
  container_name?: string;
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
}

/** The file as `docker-compose config` validates and normalizes it, parsed (PyYAML comes with docker-compose). */
function composeConfig(): { services: Record<string, Service> } {
  const compose = DOCKER_COMPOSE.find(process.env);
  if (!compose) throw new Error(missingToolMessage(DOCKER_COMPOSE));
  const r = spawnSync(compose, ['-f', COMPOSE_FILE, 'config'], {
    encoding: 'utf8',
    env: { ...process.env, TEMPORAL_DB_PASSWORD: '', BIKE_RETRAIN_WEBHOOK_URL: '' },
  });
  expect(r.status, `docker-compose config rejects ${COMPOSE_FILE}:\n${r.stderr}`).toBe(0);
  const parsed = spawnSync(
    'python3',
    ['-c', 'import json, sys, yaml; json.dump(yaml.safe_load(sys.stdin), sys.stdout)'],
    { input: r.stdout, encoding: 'utf8' },
  );
  if (parsed.status !== 0)
    throw new Error(
      `reading docker-compose's output needs python3 with PyYAML (Debian's docker-compose package brings both): ${parsed.stderr || parsed.error}`,
    );
  const json = parsed.stdout;
  return JSON.parse(json) as { services: Record<string, Service> };
}

/** Where a path inside a service's container comes from on the host, through its bind mounts. */
function hostPath(service: Service, containerPath: string): string | null {
  for (const v of service.volumes ?? []) {
    const [source, target] = v.split(':');
    if (source.startsWith('/') && (containerPath === target || containerPath.startsWith(`${target}/`)))
      return join(source, relative(target, containerPath));
  }
  return null;
}

const config = composeConfig();
const services = config.services;

describe('deploy/temporal/register-search-attributes.sh', () => {
  it('registers exactly the attributes of src/workflows/search-attributes.ts, with their types', () => {
    const script = readFileSync(REGISTER_SCRIPT, 'utf8');
    const listed = [...script.matchAll(/^(BikeRetrain\w+)=(\w+)$/gm)].map(([, name, type]) => ({ name, type }));
    // KEYWORD_LIST in the SDK is KeywordList for the CLI: compare without case and underscores.
    const norm = (t: string) => t.replace(/_/g, '').toLowerCase();
    expect(listed.map((a) => `${a.name}=${norm(a.type)}`).sort()).toEqual(
      ALL_SEARCH_ATTRIBUTES.map((k) => `${k.name}=${norm(k.type)}`).sort(),
    );
  });
});

describe('deploy/temporal/ scripts on bad settings', () => {
  const run = (script: string, args: string[], env: Record<string, string>) =>
    spawnSync('/bin/sh', [script, ...args], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', ...env } });

  it('setup-schema.sh names what is missing and how to fix it', () => {
    expect(run(SETUP_SCHEMA_SCRIPT, [], {}).stderr).toMatch(/no schema folder: pass it .* or set TEMPORAL_SCHEMA_DIR/);
    expect(run(SETUP_SCHEMA_SCRIPT, [REPO_ROOT], {}).stderr).toMatch(
      /temporal\/versioned is not a folder: TEMPORAL_SCHEMA_DIR must be the postgresql\/v12 schema folder/,
    );
    const schemaLike = join(REPO_ROOT, 'test/unit/deploy/fixtures/schema');
    const missingHost = run(SETUP_SCHEMA_SCRIPT, [schemaLike], {});
    expect(missingHost.status).toBe(2);
    expect(missingHost.stderr).toMatch(/SQL_HOST is not set/);
    const noTool = run(SETUP_SCHEMA_SCRIPT, [schemaLike], {
      SQL_HOST: 'db',
      SQL_USER: 'temporal',
      TEMPORAL_SQL_TOOL: '/nonexistent/sql',
    });
    expect(noTool.stderr).toMatch(/\/nonexistent\/sql not found: set TEMPORAL_SQL_TOOL .*npm run setup/);
  });

  it('register-search-attributes.sh names a missing CLI', () => {
    const r = run(REGISTER_SCRIPT, [], { TEMPORAL_CLI: '/nonexistent/temporal' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/\/nonexistent\/temporal not found: set TEMPORAL_CLI .*npm run setup/);
  });
});

describe('docker-compose.temporal.yml', () => {
  it('pins every image, to the versions the cluster test runs', () => {
    for (const [name, s] of Object.entries(services))
      if (s.image) expect(s.image, name).toMatch(/^[\w./-]+:(?!latest$)[\w.-]+$/);
    const serverVersion = TEMPORAL_SERVER.version.replace(/^v/, '');
    expect(services.temporal.image).toBe(`temporalio/server:${serverVersion}`);
    expect(services['temporal-schema'].image).toMatch(new RegExp(`^temporalio/admin-tools:${serverVersion}(-|$)`));
    expect(services['temporal-search-attributes'].image).toBe(services['temporal-schema'].image);
    expect(services['temporal-ui'].image).toMatch(/^temporalio\/ui:\d+\.\d+\.\d+$/);
    // The PostgreSQL major the cluster test runs: Debian 12's package (and this machine's, when installed).
    expect(services.postgresql.image).toBe(`postgres:${DEBIAN_POSTGRES_MAJOR}`);
    const localMajor = findPostgresBinDir()?.match(/postgresql\/(\d+)\//)?.[1];
    if (localMajor) expect(Number(localMajor)).toBe(DEBIAN_POSTGRES_MAJOR);
    expect(Object.values(services).map((s) => s.image)).not.toContainEqual(expect.stringMatching(/auto-setup/));
  });

  it('starts in order: health checks and depends_on conditions', () => {
    expect(services.postgresql.healthcheck?.test.join(' ')).toContain('pg_isready');
    // The check the cluster test waits on, on the frontend's HTTP port (postgres.yaml's default, 7243).
    expect(services.temporal.healthcheck?.test.join(' ')).toContain(`http://127.0.0.1:7243${SERVER_HEALTH_PATH}`);
    const dependsOn = (name: string) =>
      Object.fromEntries(Object.entries(services[name].depends_on ?? {}).map(([k, v]) => [k, v.condition]));
    expect(dependsOn('temporal-schema')).toEqual({ postgresql: 'service_healthy' });
    expect(dependsOn('temporal')).toEqual({ 'temporal-schema': 'service_completed_successfully' });
    expect(dependsOn('temporal-search-attributes')).toEqual({ temporal: 'service_healthy' });
    expect(dependsOn('temporal-ui')).toEqual({ temporal: 'service_healthy' });
    for (const worker of ['worker-light', 'worker-heavy'])
      expect(dependsOn(worker)).toEqual({ 'temporal-search-attributes': 'service_completed_successfully' });
  });

  it('sets the cluster up with the same scripts and server config as the cluster test', () => {
    const schema = services['temporal-schema'];
    const schemaScript = schema.entrypoint!.find((a) => a.endsWith('.sh'))!;
    expect(hostPath(schema, schemaScript)).toBe(SETUP_SCHEMA_SCRIPT);
    expect(schema.entrypoint).toContain('/etc/temporal/schema/postgresql/v12');

    const register = services['temporal-search-attributes'];
    const registerScript = register.entrypoint!.find((a) => a.endsWith('.sh'))!;
    expect(hostPath(register, registerScript)).toBe(REGISTER_SCRIPT);

    const server = services.temporal;
    const start = server.entrypoint!.join(' ');
    const configDir = start.match(/--config (\S+)/)?.[1];
    expect(configDir && hostPath(server, configDir)).toBe(join(REPO_ROOT, SERVER_CONFIG.dir));
    expect(start).toMatch(new RegExp(`--env ${SERVER_CONFIG.env} start`));
    // Listening on every interface, announced at the container's address: the cluster test runs it so too.
    expect(server.environment?.TEMPORAL_BIND_ON_IP).toBe('0.0.0.0');
    expect(start).toMatch(/export TEMPORAL_BROADCAST_ADDRESS=\$\$?\(hostname -i/);
    // One set of connection settings for the schema job and the server (setup-schema.sh and postgres.yaml read both).
    const sqlOf = (s: Service) =>
      Object.fromEntries(Object.entries(s.environment ?? {}).filter(([k]) => k.startsWith('SQL_')));
    expect(sqlOf(server)).toEqual(sqlOf(schema));
    expect(Object.keys(sqlOf(server)).sort()).toEqual([
      'SQL_HOST',
      'SQL_PASSWORD',
      'SQL_PLUGIN',
      'SQL_PORT',
      'SQL_USER',
    ]);
  });

  it("gives the cluster the dev server's dynamic config, from the file the cluster test starts it with", () => {
    const file = services.temporal.environment?.TEMPORAL_DYNAMIC_CONFIG;
    expect(file && hostPath(services.temporal, file)).toBe(join(REPO_ROOT, SERVER_CONFIG.dynamicConfig));
    // The file's settings ("key:" then "  - value: v"), each as the dev server sets it.
    const text = readFileSync(join(REPO_ROOT, SERVER_CONFIG.dynamicConfig), 'utf8');
    const settings = Object.fromEntries(
      [...text.matchAll(/^([\w.]+):\n\s+- value: (.+)$/gm)].map((m) => [m[1], JSON.parse(m[2]) as unknown]),
    );
    expect(settings).toEqual(DEV_SERVER_DYNAMIC_CONFIG);
  });

  it('runs our image as one light worker service and one scalable heavy worker service', () => {
    for (const [name, queues] of [
      ['worker-light', 'light'],
      ['worker-heavy', 'heavy'],
    ]) {
      const w = services[name];
      expect(w.build?.context, name).toBe(REPO_ROOT);
      expect(w.command, name).toEqual(['worker', '--queues', queues]);
      expect(w.environment?.TEMPORAL_ADDRESS, name).toBe('temporal:7233');
      // `--scale worker-heavy=N` needs no fixed container name and no published port.
      expect(w.container_name, name).toBeUndefined();
      expect(w.ports, name).toBeUndefined();
    }
    expect(services['worker-light'].volumes).toEqual(services['worker-heavy'].volumes);
  });

  it('runs one `metrics serve`, Prometheus on ops/prometheus and Grafana provisioned from ops/grafana', () => {
    expect(services.metrics.command).toEqual(['metrics', 'serve']);
    expect(services.metrics.environment?.BIKE_RETRAIN_METRICS_ADDRESS).toBe('0.0.0.0:9464');
    // Every worker exports the SDK's metrics where ops/prometheus/prometheus.yml looks for them.
    for (const name of ['worker-light', 'worker-heavy'])
      expect(services[name].environment?.BIKE_RETRAIN_WORKER_METRICS_ADDRESS, name).toBe('0.0.0.0:9465');
    const scrape = readFileSync(join(REPO_ROOT, 'ops', 'prometheus', 'prometheus.yml'), 'utf8');
    expect(scrape).toContain("targets: ['metrics:9464']");
    expect(scrape).toContain("names: ['worker-light', 'worker-heavy']");
    const mounts = (name: string) => (services[name].volumes ?? []).map((v) => relative(REPO_ROOT, v.split(':')[0]));
    expect(mounts('prometheus')).toContain(join('ops', 'prometheus'));
    expect(mounts('grafana')).toEqual(
      expect.arrayContaining([join('ops', 'grafana', 'provisioning'), join('ops', 'grafana', 'dashboards')]),
    );
    expect(services.prometheus.image).toBe('prom/prometheus:v2.42.0');
    expect(services.grafana.depends_on?.prometheus?.condition).toBe('service_healthy');
  });
});

describe('Dockerfile and .dockerignore', () => {
  const dockerfile = readFileSync(join(REPO_ROOT, 'Dockerfile'), 'utf8');

  it('builds on Node 20 with npm ci and runs `bike-retrain worker`', () => {
    const froms = [...dockerfile.matchAll(/^FROM (\S+)/gm)].map((m) => m[1]);
    expect(froms.length).toBeGreaterThan(0);
    for (const f of froms) expect(f).toMatch(/^node:20[.-]/);
    expect(dockerfile).toMatch(/^RUN npm ci\b/m);
    expect(dockerfile).toMatch(/^ENTRYPOINT \["bike-retrain"\]$/m);
    expect(dockerfile).toMatch(/^CMD \["worker"\]$/m);
  });

  it('sends the build only what the Dockerfile copies', () => {
    const rules = readFileSync(join(REPO_ROOT, '.dockerignore'), 'utf8')
      .split('\n')
      .filter((l) => l && !l.startsWith('#'));
    expect(rules[0]).toBe('*');
    const copied = [...dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((m) => m[1].split(' '));
    expect(
      rules
        .slice(1)
        .map((r) => r.replace(/^!/, ''))
        .sort(),
    ).toEqual([...new Set(copied)].sort());
  });
});
