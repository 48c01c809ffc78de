import type { ModelMetrics, TrainingSource } from '../core/domain';
import { BadInputError, PromotionConflictError } from '../core/errors';
import { ArtifactConflictError, type ArtifactStore } from '../storage/artifact-store';
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
  action: 'register' | 'promote' | 'rollback' | 'rebuild';
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

/** Where the registry keeps what a rebuild needs, beside the document itself. */
export const REGISTRY_KEYS = {
  /** The old system's summary.json, exported after every change (what `registry rebuild` reads). */
  summary: 'registry/summary.json',
  /**
   * The same export where the replaced Airflow system kept it (`gs://<its bucket>/models/summary.json`),
   * for its readers: with a store prefix, point them at `<prefix>models/summary.json`.
   */
  legacySummary: 'models/summary.json',
  /** One immutable record per version (its full entry), written when it is registered. */
  versionRecords: 'models/versions/',
  /** Full retrains' model artifacts (`bike-retrain train-champion`): each became a version. */
  championModels: 'models/champions/',
} as const;

/** A version's record: its registry entry as registered, and the champion it replaced. */
export interface VersionRecord {
  format: 'bike-retrain-model-version';
  version: ModelVersion;
  promotedOver: number | null;
}

export function versionRecordKey(version: number): string {
  return `${REGISTRY_KEYS.versionRecords}v${String(version).padStart(6, '0')}.json`;
}

/** What the registry document's state is, for `registry rebuild`. */
export type RegistryState =
  | { state: 'ok'; versions: number }
  | { state: 'empty' }
  | { state: 'missing' }
  | { state: 'unreadable'; reason: string };

const REBUILD_HINT =
  'recover with `bike-retrain registry rebuild` (from the model version records, artifacts/registry/summary.json or the champion model artifacts)';

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
    return (await this.readChecked())?.doc ?? emptyRegistry();
  }

  /** The document's path or URI, as messages name it. */
  get location(): string {
    return this.doc.location;
  }

  /**
   * The stored document, or null for a registry that never had a version.
   * A missing document while the registry's own traces exist (summary.json,
   * version records, champion artifacts) is an error, never an empty
   * registry: promoting into it would restart at v1 over the old champion.
   * `ignoreUri`: a candidate's own artifact, written just before it is registered.
   */
  private async readChecked(ignoreUri?: string): Promise<{ doc: RegistryDoc; generation: number } | null> {
    let current;
    try {
      current = await this.doc.read();
    } catch (err) {
      if (err instanceof BadInputError)
        throw new BadInputError(
          `registry document: ${err.reason}; the registry is not trusted as is: ${REBUILD_HINT}`,
          {
            file: err.location.file,
          },
        );
      throw err;
    }
    if (current !== null) return current;
    const traces = await this.traces(ignoreUri);
    if (traces.length > 0)
      throw new BadInputError(`registry document missing while ${traces.join(' and ')} exist: ${REBUILD_HINT}`, {
        file: this.doc.location,
      });
    return null;
  }

  /** What shows the registry had versions: summary.json, version records, champion artifacts. */
  private async traces(ignoreUri?: string): Promise<string[]> {
    const out: string[] = [];
    if (await this.artifacts.exists(this.artifacts.uriFor(REGISTRY_KEYS.summary)))
      out.push('artifacts/registry/summary.json');
    const records = await this.artifacts.list(REGISTRY_KEYS.versionRecords);
    if (records.length)
      out.push(`${records.length} model version record(s) in artifacts/${REGISTRY_KEYS.versionRecords}`);
    const models = (await this.artifacts.list(REGISTRY_KEYS.championModels)).filter(
      (m) => m.key.endsWith('.brf') && m.uri !== ignoreUri,
    );
    if (models.length)
      out.push(`${models.length} champion model artifact(s) in artifacts/${REGISTRY_KEYS.championModels}`);
    return out;
  }

  /** The document's state, without throwing: what `registry rebuild` checks first. */
  async state(): Promise<RegistryState> {
    try {
      const current = await this.doc.read();
      if (current === null) return { state: 'missing' };
      if (!Array.isArray(current.doc.versions) || current.doc.versions.length === 0) return { state: 'empty' };
      return { state: 'ok', versions: current.doc.versions.length };
    } catch (err) {
      if (err instanceof BadInputError) return { state: 'unreadable', reason: err.reason };
      throw err;
    }
  }

  /**
   * Recovery: writes `doc` as the registry (a damaged document is kept aside,
   * its new name returned), then summary.json and the version records as after
   * any change.
   */
  async restore(doc: RegistryDoc): Promise<{ keptAs: string | null }> {
    const r = await this.doc.replace(doc);
    await this.exportLegacySummary(doc);
    await this.writeVersionRecords(doc, null);
    return r;
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
    }, req.candidate.modelUri);
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

  private async update<R>(
    change: (d: RegistryDoc) => { next?: RegistryDoc; result: R },
    candidateUri?: string,
  ): Promise<R> {
    for (let attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
      const current = await this.readChecked(candidateUri);
      const { next, result } = change(current?.doc ?? emptyRegistry());
      if (!next) {
        // A retry (or nothing to change): complete what an attempt that failed after its swap left undone.
        if (current) await this.exportDerived(current.doc, current.doc.aliases.champion);
        return result;
      }
      if (await this.doc.writeIfGeneration(next, current?.generation ?? 0)) {
        await this.exportDerived(next, undefined, current?.doc ?? null);
        return result;
      }
    }
    throw new Error(`registry update lost ${MAX_CAS_ATTEMPTS} compare-and-swap races in a row`);
  }

  /**
   * What is derived from the document after a change: summary.json (both places) and the new
   * versions' records (`only`: that version's alone). Idempotent, so a retry that finds the change
   * already made calls it again; a failure here leaves the registry changed and says so.
   */
  private async exportDerived(d: RegistryDoc, only?: number, before: RegistryDoc | null = null): Promise<void> {
    try {
      await this.exportLegacySummary(d);
      await this.writeVersionRecords(
        only === undefined ? d : { ...d, versions: d.versions.filter((v) => v.version === only) },
        before,
      );
    } catch (err) {
      throw new Error(
        `the registry ${this.doc.location} changed (champion: version ${d.aliases.champion ?? 'none'}), but writing summary.json or the version records failed: ${(err as Error).message}; the same promotion or rollback again completes it`,
        { cause: err },
      );
    }
  }

  /** A record of each version new in `next` (immutable: a record already there is kept, even if it differs). */
  private async writeVersionRecords(next: RegistryDoc, before: RegistryDoc | null): Promise<void> {
    const known = new Set(before?.versions.map((v) => v.version) ?? []);
    for (const v of next.versions) {
      if (known.has(v.version)) continue;
      const promotedOver = next.events.find((e) => e.action === 'promote' && e.version === v.version)?.previous ?? null;
      const record: VersionRecord = { format: 'bike-retrain-model-version', version: v, promotedOver };
      try {
        await this.artifacts.putIfAbsent(versionRecordKey(v.version), JSON.stringify(record, null, 2));
      } catch (err) {
        // A rebuilt registry can describe an old version differently; the record written first is the evidence.
        if (!(err instanceof ArtifactConflictError)) throw err;
      }
    }
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
    const text = JSON.stringify(entries, null, 2);
    await this.artifacts.put(REGISTRY_KEYS.summary, text);
    await this.artifacts.put(REGISTRY_KEYS.legacySummary, text);
  }
}

export function emptyRegistry(): RegistryDoc {
  return { versions: [], aliases: {}, events: [] };
}
