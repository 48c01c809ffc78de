import { readFileSync } from 'node:fs';
import { ConfigError } from '../core/errors';
import { loadEnvConfig, type EnvConfig } from './env-config';
import { DEFAULT_RUN_CONFIG, resolveRunConfig, type RunConfig } from './run-config';

export { loadEnvConfig, webUiUrl, type EnvConfig } from './env-config';

/** The environment plus the run-config defaults (BIKE_RETRAIN_CONFIG), read and validated once at start. */
export interface AppConfig extends EnvConfig {
  runDefaults: RunConfig;
}

export function loadAppConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const e = loadEnvConfig(env);
  let runDefaults = DEFAULT_RUN_CONFIG;
  if (e.runConfigFile) {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(e.runConfigFile, 'utf8'));
    } catch (err) {
      throw new ConfigError(`cannot read BIKE_RETRAIN_CONFIG ${e.runConfigFile}: ${(err as Error).message}`);
    }
    runDefaults = resolveRunConfig(DEFAULT_RUN_CONFIG, json, `config file ${e.runConfigFile}`);
  }
  return { ...e, runDefaults };
}
