// npm run setup:test-tools — provides the external tools the tests need, so none of them is skipped:
// the Go-built emulators and Temporal server (src/tools/go-tools.ts), and
// Debian's Chromium at /usr/bin/chromium (or $CHROMIUM_PATH), which test/unit/drift/report-browser.test.ts
// drives with playwright-core. As root it installs the `chromium` package with apt-get; otherwise it prints the
// command to run and exits non-zero. Nothing is downloaded when Chromium is already there.
// Likewise Debian's Prometheus (`prometheus` and `promtool`), which the metrics tests run: the alert rules'
// promtool tests and a Prometheus server scraping `bike-retrain metrics serve`.
import { spawnSync } from 'node:child_process';
import { ALL_GO_TOOLS, ensureGoTool, isExecutable } from '../src/tools/go-tools';
import { aptGetInstall, DOCKER_COMPOSE, ensureAptTool, POSTGRES } from './apt-tools';

export const DEFAULT_CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_APT_PACKAGE = 'chromium';
export const CHROMIUM_INSTALL_COMMAND = `apt-get update && apt-get install -y ${CHROMIUM_APT_PACKAGE}`;

/** `chromium --version`, or null when the binary does not run. */
function chromiumVersion(path: string): string | null {
  const r = spawnSync(path, ['--version'], { encoding: 'utf8', timeout: 30_000 });
  return r.status === 0 ? r.stdout.trim() : null;
}

/** Finds Chromium or installs it with apt-get (as root); throws with the command to run otherwise. */
export function ensureChromium(
  log: (msg: string) => void = console.error,
  env: NodeJS.ProcessEnv = process.env,
): string {
  const path = env.CHROMIUM_PATH || DEFAULT_CHROMIUM;
  if (isExecutable(path)) {
    const version = chromiumVersion(path);
    if (!version)
      throw new Error(`${path} is there but \`${path} --version\` fails; reinstall it: ${CHROMIUM_INSTALL_COMMAND}`);
    log(`Chromium ready: ${path} (${version})`);
    return path;
  }
  if (path !== DEFAULT_CHROMIUM)
    throw new Error(`CHROMIUM_PATH=${path} is not an executable file; fix it, or unset it to use ${DEFAULT_CHROMIUM}`);
  const isRoot = process.getuid?.() === 0;
  const hasApt = isExecutable('/usr/bin/apt-get');
  if (!isRoot || !hasApt) {
    throw new Error(
      `Chromium not found at ${path}; the browser test needs it.\n` +
        (hasApt
          ? `Install it as root:  sudo sh -c '${CHROMIUM_INSTALL_COMMAND}'`
          : `Install Chromium with your system's package manager, or set CHROMIUM_PATH to a Chromium binary.`) +
        `\nthen rerun: npm run setup:test-tools`,
    );
  }
  log(`Installing Chromium: ${CHROMIUM_INSTALL_COMMAND}`);
  aptGetInstall(CHROMIUM_APT_PACKAGE, env);
  const version = isExecutable(path) ? chromiumVersion(path) : null;
  if (!version) throw new Error(`apt-get installed ${CHROMIUM_APT_PACKAGE} but ${path} does not run`);
  log(`Chromium ready: ${path} (${version})`);
  return path;
}

export const PROMETHEUS_APT_PACKAGE = 'prometheus';
export const PROMETHEUS_INSTALL_COMMAND = `apt-get update && apt-get install -y ${PROMETHEUS_APT_PACKAGE}`;
/** Debian's package puts both here; PROMETHEUS_BIN_DIR names another folder holding both. */
export const DEFAULT_PROMETHEUS_BIN_DIR = '/usr/bin';

/** `prometheus` and `promtool` of $PROMETHEUS_BIN_DIR or /usr/bin, when both are there. */
export function prometheusBinaries(env: NodeJS.ProcessEnv = process.env): { prometheus: string; promtool: string } {
  const dir = env.PROMETHEUS_BIN_DIR || DEFAULT_PROMETHEUS_BIN_DIR;
  return { prometheus: `${dir}/prometheus`, promtool: `${dir}/promtool` };
}

/** Finds Prometheus and promtool, or installs Debian's package (as root); throws with the command to run otherwise. */
export function ensurePrometheus(
  log: (msg: string) => void = console.error,
  env: NodeJS.ProcessEnv = process.env,
): { prometheus: string; promtool: string } {
  const bins = prometheusBinaries(env);
  const version = () => {
    const r = spawnSync(bins.prometheus, ['--version'], { encoding: 'utf8', timeout: 30_000 });
    return r.status === 0 && isExecutable(bins.promtool) ? r.stdout.split('\n')[0].trim() : null;
  };
  if (isExecutable(bins.prometheus) && isExecutable(bins.promtool)) {
    const v = version();
    if (!v)
      throw new Error(`${bins.prometheus} is there but does not run; reinstall it: ${PROMETHEUS_INSTALL_COMMAND}`);
    log(`Prometheus ready: ${bins.prometheus}, ${bins.promtool} (${v})`);
    return bins;
  }
  if (env.PROMETHEUS_BIN_DIR)
    throw new Error(
      `PROMETHEUS_BIN_DIR=${env.PROMETHEUS_BIN_DIR} does not hold executable prometheus and promtool; fix it, or unset it to use ${DEFAULT_PROMETHEUS_BIN_DIR}`,
    );
  const isRoot = process.getuid?.() === 0;
  const hasApt = isExecutable('/usr/bin/apt-get');
  if (!isRoot || !hasApt)
    throw new Error(
      `Prometheus not found (${bins.prometheus}, ${bins.promtool}); the metrics tests need it.\n` +
        (hasApt
          ? `Install it as root:  sudo sh -c '${PROMETHEUS_INSTALL_COMMAND}'`
          : `Install Prometheus 2.x with your system's package manager, or set PROMETHEUS_BIN_DIR to a folder holding prometheus and promtool.`) +
        `\nthen rerun: npm run setup:test-tools`,
    );
  log(`Installing Prometheus: ${PROMETHEUS_INSTALL_COMMAND}`);
  aptGetInstall(PROMETHEUS_APT_PACKAGE, env);
  const v = version();
  if (!v) throw new Error(`apt-get installed ${PROMETHEUS_APT_PACKAGE} but ${bins.prometheus} does not run`);
  log(`Prometheus ready: ${bins.prometheus}, ${bins.promtool} (${v})`);
  return bins;
}

if (require.main === module) {
  try {
    ensureChromium();
    ensurePrometheus();
    // The emulators and the Temporal server the GCP and cluster tests run against: built once, when missing.
    for (const tool of ALL_GO_TOOLS) ensureGoTool(tool, (m) => console.error(m));
    // The cluster test's database and the compose file's validator (scripts/apt-tools.ts).
    for (const tool of [POSTGRES, DOCKER_COMPOSE]) ensureAptTool(tool);
  } catch (err) {
    console.error((err as Error).message);
    process.exitCode = 1;
  }
}
