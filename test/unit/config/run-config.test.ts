import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RUN_CONFIG,
  fullRetrainParams,
  MODEL_SIZES,
  modelParams,
  resolveRunConfig,
  runConfigSchema,
} from '../../../src/config/run-config';

describe('run config: the model section', () => {
  it('defaults to the weekly forest', () => {
    expect(DEFAULT_RUN_CONFIG.model).toEqual({ modelType: 'rf', ...MODEL_SIZES.fineTune.rf, seed: 42 });
  });

  it('gives a type named alone that type’s sizes, in a config file or in overrides', () => {
    expect(runConfigSchema.parse({ model: { modelType: 'gbt' } }).model).toEqual({
      modelType: 'gbt',
      ...MODEL_SIZES.fineTune.gbt,
      seed: 42,
    });
    expect(resolveRunConfig(DEFAULT_RUN_CONFIG, { model: { modelType: 'gbt' } }).model).toEqual({
      modelType: 'gbt',
      ...MODEL_SIZES.fineTune.gbt,
      seed: 42,
    });
  });

  it('keeps sizes given with the type, and sizes overridden without one', () => {
    expect(resolveRunConfig(DEFAULT_RUN_CONFIG, { model: { modelType: 'gbt', nEstimators: 50 } }).model).toMatchObject({
      modelType: 'gbt',
      nEstimators: 50,
      minSamplesLeaf: 20,
    });
    expect(resolveRunConfig(DEFAULT_RUN_CONFIG, { model: { nEstimators: 60 } }).model).toMatchObject({
      modelType: 'rf',
      nEstimators: 60,
      maxDepth: 16,
    });
  });

  it('names the bad field', () => {
    expect(() => resolveRunConfig(DEFAULT_RUN_CONFIG, { model: { maxDepth: -1 } })).toThrow(/model\.maxDepth/);
  });

  it('turns into the engine’s parameters', () => {
    expect(modelParams(DEFAULT_RUN_CONFIG.model)).toEqual({
      modelType: 'rf',
      nEstimators: 30,
      maxDepth: 16,
      minSamplesLeaf: 5,
      seed: 42,
    });
  });

  it('gives the full retrain its own sizes, with the run defaults’ type and seed unless chosen', () => {
    expect(fullRetrainParams(DEFAULT_RUN_CONFIG)).toEqual({ modelType: 'rf', ...MODEL_SIZES.fullRetrain.rf, seed: 42 });
    const gbtSeven = resolveRunConfig(DEFAULT_RUN_CONFIG, { model: { modelType: 'gbt', seed: 7, nEstimators: 50 } });
    expect(fullRetrainParams(gbtSeven, { nEstimators: undefined })).toEqual({
      modelType: 'gbt',
      ...MODEL_SIZES.fullRetrain.gbt,
      seed: 7,
    });
    expect(fullRetrainParams(gbtSeven, { modelType: 'rf', maxDepth: 12 })).toEqual({
      modelType: 'rf',
      ...MODEL_SIZES.fullRetrain.rf,
      maxDepth: 12,
      seed: 7,
    });
    expect(() => fullRetrainParams(DEFAULT_RUN_CONFIG, { maxDepth: -1 })).toThrow(
      /train-champion options: model\.maxDepth/,
    );
  });
});

describe('run config: per-run overrides', () => {
  it('change only the fields they name: the config file’s other values in that section stay', () => {
    const fromFile = resolveRunConfig(DEFAULT_RUN_CONFIG, {
      trigger: { maxChampionRmse: 80 },
      windows: { recentDays: 21 },
      model: { seed: 7 },
    });
    const run = resolveRunConfig(fromFile, {
      trigger: { degradedR2Below: 0.5 },
      windows: { holdoutFraction: 0.3 },
      model: { nEstimators: 10 },
    });
    expect(run.trigger).toEqual({ maxChampionRmse: 80, degradedR2Below: 0.5, fineTuneEveryRun: true });
    expect(run.windows).toMatchObject({ recentDays: 21, holdoutFraction: 0.3 });
    expect(run.model).toMatchObject({ seed: 7, nEstimators: 10 });
  });
});

describe('run config: the plausibility bound', () => {
  it('is one setting, drift.quality.maxHourlyCount (10,000), overridable per run and checked', () => {
    expect(DEFAULT_RUN_CONFIG.drift.quality.maxHourlyCount).toBe(10_000);
    const run = resolveRunConfig(DEFAULT_RUN_CONFIG, { drift: { quality: { maxHourlyCount: 5_000 } } });
    expect(run.drift.quality).toMatchObject({ maxHourlyCount: 5_000, robustZ: 3.5 });
    expect(() => resolveRunConfig(DEFAULT_RUN_CONFIG, { drift: { quality: { maxHourlyCount: 0 } } })).toThrow(
      /drift\.quality\.maxHourlyCount/,
    );
  });
});
