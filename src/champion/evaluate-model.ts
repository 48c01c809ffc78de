import type { ModelMetrics } from '../core/domain';
import { ConfigError } from '../core/errors';
import { assertValidCounts } from '../core/validate-counts';
import { predictCounts } from '../model/champion-model';
import type { ChampionRegistry } from '../registry/champion-registry';
import { regressionMetrics } from '../stats/regression-metrics';
import type { ArtifactStore } from '../storage/artifact-store';
import type { Warehouse } from '../storage/warehouse';
import { loadModelOnce } from './champion-ref';

/**
 * A model's RMSE, MAE and R² on a warehouse window [fromMs, toMs): the one
 * scoring path behind the champion's validation, `bike-retrain evaluate` and
 * the backtest's next-week scores, so all three give the same figures.
 */
export async function evaluateModelOnWindow(
  deps: { warehouse: Warehouse; artifacts: ArtifactStore },
  modelUri: string,
  window: { fromMs: number; toMs: number },
): Promise<ModelMetrics> {
  return (await evaluateModelsOnWindow(deps, { model: modelUri }, window)).model;
}

/** Several models on one window: its rows read once, each distinct model scored once. */
export async function evaluateModelsOnWindow<K extends string>(
  deps: { warehouse: Warehouse; artifacts: ArtifactStore },
  models: Record<K, string>,
  window: { fromMs: number; toMs: number },
): Promise<Record<K, ModelMetrics>> {
  const rows = await deps.warehouse.queryCounts(window);
  assertValidCounts(rows, deps.warehouse.source(window));
  const byUri = new Map<string, ModelMetrics>();
  const out = {} as Record<K, ModelMetrics>;
  for (const [name, uri] of Object.entries(models) as [K, string][]) {
    let metrics = byUri.get(uri);
    if (!metrics) {
      const { yTrue, yPred } = await predictCounts(await loadModelOnce(deps.artifacts, uri), rows);
      byUri.set(uri, (metrics = regressionMetrics(yTrue, yPred)));
    }
    out[name] = metrics;
  }
  return out;
}

/** A model named as `champion`, `previous_champion`, `vN` (or `N`), or an artifact URI. */
export async function resolveModelSpec(
  registry: ChampionRegistry,
  spec: string,
): Promise<{ modelUri: string; version: number | null }> {
  if (spec.includes('://')) return { modelUri: spec, version: null };
  const doc = await registry.snapshot();
  const alias = spec === 'champion' || spec === 'previous_champion' ? doc.aliases[spec] : undefined;
  const n = alias ?? (/^v?\d+$/.test(spec) ? Number(spec.replace(/^v/, '')) : undefined);
  if (n === undefined)
    throw new ConfigError(`unknown model "${spec}": expected champion, previous_champion, vN or an artifact URI`);
  const v = doc.versions.find((x) => x.version === n);
  if (!v)
    throw new ConfigError(
      spec.startsWith('v') || /^\d/.test(spec) ? `no version ${n} in the registry` : `no ${spec} in the registry`,
    );
  return { modelUri: v.modelUri, version: v.version };
}
