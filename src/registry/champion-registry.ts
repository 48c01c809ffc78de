import type { ModelMetrics, TrainingSource } from '../core/domain';
import { PromotionConflictError } from '../core/errors';
import type { ArtifactStore } from '../storage/artifact-store';
import type { VersionedDocumentStore } from '../storage/versioned-document';

/** Who made a version: the run that trained it (idempotency key) or a manual command. */
export interface VersionSource {
  workflowId: string;
  runId: string;
}

export interface ModelVersion {
  version: number;
  modelUri: string;
  modelType: string;
  createdAt: string;
  source: VersionSource;
  featurePipelineVersion: string;
  hyperparameters: Record<string, unknown>;
  trainingData: Record<string, unknown>;
  /** Exactly which rows it trained on (absent in versions registered before this was recorded). */
  trainingSources?: TrainingSource[];
  metrics: { baseline?: ModelMetrics; current?: ModelMetrics };
  env: string;
  testMode: boolean;
}

export type Alias = 'champion' | 'previous_champion';

export interface RegistryEvent {
  at: string;
  action: 'register' | 'promote' | 'rollback';
  version: number;
  previous: number | null;
  by: string;
}

export interface RegistryDoc {
  versions: ModelVersion[];
  aliases: Partial<Record<Alias, number>>;
  events: RegistryEvent[];
}

export interface PromoteRequest {
  candidate: Omit<ModelVersion, 'version'>;
  /** The champion version the caller evaluated against; promotion refuses if it changed meanwhile. */
  expectedChampion: number | null;
  at: string;
}

export interface PromoteResult {
  version: number;
  previousChampion: number | null;
  /** false when this source had already been promoted (a retry): nothing changed. */
  changed: boolean;
}

const MAX_CAS_ATTEMPTS = 20;

/**
 * Numbered model versions and aliases in one document, changed only by
 * compare-and-swap. A version exists only for models that became champion
 * (the old system registered every challenger, promoted or not). The old
 * `summary.json` is exported after every change for whatever still reads it.
 */
export class ChampionRegistry {
  constructor(
    private readonly doc: VersionedDocumentStore<RegistryDoc>,
    private readonly artifacts: ArtifactStore,
  ) {}

  async snapshot(): Promise<RegistryDoc> {
    return (await this.doc.read())?.doc ?? emptyRegistry();
  }

  async champion(): Promise<ModelVersion | null> {
    const d = await this.snapshot();
    return d.aliases.champion === undefined ? null : (d.versions.find((v) => v.version === d.aliases.champion) ?? null);
  }

  async version(n: number): Promise<ModelVersion | null> {
    return (await this.snapshot()).versions.find((v) => v.version === n) ?? null;
  }

  /**
   * Registers the candidate as a new version and points `champion` at it in
   * one atomic change, keeping the old champion as `previous_champion`.
   * Idempotent on the candidate's source run.
   */
  async promote(req: PromoteRequest): Promise<PromoteResult> {
    return this.update<PromoteResult>((d) => {
      const existing = d.versions.find(
        (v) => v.source.workflowId === req.candidate.source.workflowId && v.source.runId === req.candidate.source.runId,
      );
      if (existing) {
        if (d.aliases.champion === existing.version)
          return {
            result: {
              version: existing.version,
              previousChampion: d.aliases.previous_champion ?? null,
              changed: false,
            },
          };
        throw new PromotionConflictError(
          `version ${existing.version} from this run exists but is no longer champion (champion is ${d.aliases.champion})`,
        );
      }
      const current = d.aliases.champion ?? null;
      if (current !== req.expectedChampion)
        throw new PromotionConflictError(
          `champion changed during the run: expected version ${req.expectedChampion ?? 'none'}, found ${current ?? 'none'}`,
        );
      const version = d.versions.reduce((m, v) => Math.max(m, v.version), 0) + 1;
      const next: RegistryDoc = {
        versions: [...d.versions, { ...req.candidate, version }],
        aliases: { champion: version, ...(current !== null ? { previous_champion: current } : {}) },
        events: [
          ...d.events,
          {
            at: req.at,
            action: 'promote',
            version,
            previous: current,
            by: `${req.candidate.source.workflowId}/${req.candidate.source.runId}`,
          },
        ],
      };
      return { next, result: { version, previousChampion: current, changed: true } };
    });
  }

  /** Points `champion` back at `to` (default: `previous_champion`). */
  async rollback(opts: { to?: number; at: string; by: string }): Promise<PromoteResult> {
    return this.update<PromoteResult>((d) => {
      const current = d.aliases.champion ?? null;
      const target = opts.to ?? d.aliases.previous_champion;
      if (target === undefined) throw new PromotionConflictError('no previous champion to roll back to');
      if (!d.versions.some((v) => v.version === target)) throw new PromotionConflictError(`no version ${target}`);
      if (target === current)
        return { result: { version: target, previousChampion: d.aliases.previous_champion ?? null, changed: false } };
      const next: RegistryDoc = {
        versions: d.versions,
        aliases: { champion: target, ...(current !== null ? { previous_champion: current } : {}) },
        events: [...d.events, { at: opts.at, action: 'rollback', version: target, previous: current, by: opts.by }],
      };
      return { next, result: { version: target, previousChampion: current, changed: true } };
    });
  }

  private async update<R>(change: (d: RegistryDoc) => { next?: RegistryDoc; result: R }): Promise<R> {
    for (let attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
      const current = await this.doc.read();
      const { next, result } = change(current?.doc ?? emptyRegistry());
      if (!next) return result;
      if (await this.doc.writeIfGeneration(next, current?.generation ?? 0)) {
        await this.exportLegacySummary(next);
        return result;
      }
    }
    throw new Error(`registry update lost ${MAX_CAS_ATTEMPTS} compare-and-swap races in a row`);
  }

  /** The old system's summary.json: one entry per version, exactly one `is_champion`. */
  private async exportLegacySummary(d: RegistryDoc): Promise<void> {
    const entries = d.versions.map((v) => ({
      timestamp: v.createdAt,
      model_type: v.modelType,
      run_id: v.source.runId,
      model_uri: v.modelUri,
      rmse: v.metrics.current?.rmse ?? v.metrics.baseline?.rmse ?? null,
      r2: v.metrics.current?.r2 ?? v.metrics.baseline?.r2 ?? null,
      r2_baseline: v.metrics.baseline?.r2 ?? null,
      r2_current: v.metrics.current?.r2 ?? null,
      baseline_regression: false,
      env: v.env,
      test_mode: v.testMode,
      is_champion: v.version === d.aliases.champion,
      version: v.version,
    }));
    await this.artifacts.put('registry/summary.json', JSON.stringify(entries, null, 2));
  }
}

export function emptyRegistry(): RegistryDoc {
  return { versions: [], aliases: {}, events: [] };
}
