import { timeSpan } from '../core/counts';
import type { TrainingLineage, TrainingSource } from '../core/domain';
import type { ModelVersion } from '../registry/champion-registry';
import type { ArtifactStore } from '../storage/artifact-store';
import type { Warehouse } from '../storage/warehouse';
import { readCountTableArtifact } from '../data/count-artifacts';

/**
 * Which rows a registered model trained on. Versions registered since this
 * was recorded carry their sources; older ones are reconstructed: a full
 * retrain trained on its train_baseline; a promoted challenger on
 * train_baseline plus its run's recent snapshot up to its test_current (the
 * run's audit row names the snapshot). Otherwise: unknown, with the reason.
 */
export async function lineageOf(
  v: ModelVersion,
  deps: { warehouse: Warehouse; artifacts: ArtifactStore },
): Promise<TrainingLineage> {
  if (v.trainingSources) return { sources: v.trainingSources };
  const baseline = manifestSource(v.trainingData.baseline);
  if (!baseline) return { unknown: `v${v.version} was registered without its training data's location` };
  const testCurrentUri = v.trainingData.testCurrentUri;
  if (typeof testCurrentUri !== 'string') return { sources: [baseline] }; // a full retrain
  const audits = await deps.warehouse.listAudit({ workflowId: v.source.workflowId });
  const recent = audits.find((a) => a.runId === v.source.runId)?.recentData ?? null;
  if (!recent)
    return { unknown: `v${v.version}: the audit row of ${v.source.workflowId} does not name its recent data` };
  const testCurrent = await readCountTableArtifact(deps.artifacts, testCurrentUri).catch(() => null);
  if (!testCurrent || testCurrent.length === 0)
    return { unknown: `v${v.version}: its test_current ${testCurrentUri} cannot be read` };
  const holdoutFromMs = timeSpan(testCurrent).minMs;
  const trainRows = typeof v.trainingData.trainRows === 'number' ? v.trainingData.trainRows - baseline.rows : 0;
  return {
    sources: [baseline, { uri: recent.uri, fromMs: recent.fromMs, toMs: holdoutFromMs, rows: Math.max(0, trainRows) }],
  };
}

/** A baseline manifest (toMs inclusive) as a training source (toMs exclusive). */
export function manifestSource(m: unknown): TrainingSource | null {
  if (typeof m !== 'object' || m === null) return null;
  const { uri, fromMs, toMs, rows } = m as Record<string, unknown>;
  if (typeof uri !== 'string' || typeof fromMs !== 'number' || typeof toMs !== 'number') return null;
  return { uri, fromMs, toMs: toMs + 1, rows: typeof rows === 'number' ? rows : 0 };
}
