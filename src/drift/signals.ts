import {
  binWeights,
  chiSquareHomogeneity,
  jensenShannonDistance,
  ksTwoSampleWeighted,
  normalizedWassersteinOf,
  psiFromShares,
  psiOf,
  weightedQuantile,
  type WeightedSample,
} from '../stats';
import type { DriftConfig } from './config';

/**
 * One drift signal: a distribution compared between reference and current,
 * with its test (p-value, later Benjamini–Hochberg adjusted over all signals)
 * and its effect sizes. It drifts only when the test is significant AND an
 * effect reaches its threshold: at 660K vs 15K rows any 1 % wobble is
 * "significant", so significance alone means nothing here.
 */
export interface SignalEffect {
  name: 'ks' | 'wasserstein_sd' | 'jsd' | 'new_counter_share';
  value: number;
  threshold: number;
  reached: boolean;
}

export interface SignalResult {
  name: SignalName;
  label: string;
  kind: 'numeric' | 'categorical';
  /** Pipeline features this signal stands for. */
  features: string[];
  /** Every statistic computed, for the report and the audit row (ks, ks_p, wasserstein_sd, psi, jsd, chi_square, df, ...). */
  statistics: Record<string, number>;
  test: 'ks' | 'chi-square';
  pValue: number;
  /** Benjamini–Hochberg adjusted over the signals of this run. */
  pAdjusted: number;
  significant: boolean;
  effects: SignalEffect[];
  drifted: boolean;
  /** Effective sample sizes used by the test (Kish, for weighted samples). */
  referenceN: number;
  currentN: number;
  summary: string;
}

export type SignalName = 'count' | 'hour' | 'weekday' | 'counter';

/** The chart data of one signal, for the report only (never in workflow payloads). */
export interface SignalDistribution {
  name: SignalName;
  labels: string[];
  reference: number[];
  current: number[];
}

type Pending = Omit<SignalResult, 'pAdjusted' | 'significant' | 'drifted' | 'summary'>;

/** The hourly count: KS and Wasserstein / sd on the (calendar-weighted) reference. */
export function countSignal(
  ref: WeightedSample,
  cur: WeightedSample,
  config: DriftConfig,
): { signal: Pending; distribution: SignalDistribution } {
  const ks = ksTwoSampleWeighted(ref, cur);
  const wsd = normalizedWassersteinOf(ref, cur);
  const psi = psiOf(ref, cur, config.column.psiBins);
  return {
    signal: {
      name: 'count',
      label: 'hourly count (the target)',
      kind: 'numeric',
      features: ['count'],
      statistics: { ks: ks.statistic, ks_p: ks.pValue, wasserstein_sd: finiteOr(wsd, 1e9), psi },
      test: 'ks',
      pValue: ks.pValue,
      effects: [
        effect('ks', ks.statistic, config.column.ksThreshold),
        effect('wasserstein_sd', finiteOr(wsd, 1e9), config.column.wassersteinThreshold),
      ],
      referenceN: ks.n1,
      currentN: ks.n2,
    },
    distribution: countHistogram(ref, cur),
  };
}

/**
 * A categorical profile (traffic share by hour of day, by weekday, by
 * counter): Jensen–Shannon distance as the effect, a chi-square test of
 * homogeneity on effective counts (shares × Kish effective n) as the test.
 */
export function categoricalSignal(
  name: SignalName,
  label: string,
  features: string[],
  categories: string[],
  ref: Float64Array,
  cur: Float64Array,
  sizes: { referenceN: number; currentN: number },
  jsdThreshold: number,
): { signal: Pending; distribution: SignalDistribution } {
  const rs = normalise(ref);
  const cs = normalise(cur);
  const jsd = jensenShannonDistance(rs, cs);
  const chi = chiSquareHomogeneity(
    rs.map((s) => s * sizes.referenceN),
    cs.map((s) => s * sizes.currentN),
  );
  return {
    signal: {
      name,
      label,
      kind: 'categorical',
      features,
      statistics: { jsd, chi_square: chi.statistic, df: chi.df, chi_square_p: chi.pValue, psi: psiFromShares(rs, cs) },
      test: 'chi-square',
      pValue: chi.pValue,
      effects: [effect('jsd', jsd, jsdThreshold)],
      referenceN: sizes.referenceN,
      currentN: sizes.currentN,
    },
    distribution: { name, labels: categories, reference: Array.from(rs, round6), current: Array.from(cs, round6) },
  };
}

export function effect(name: SignalEffect['name'], value: number, threshold: number): SignalEffect {
  return { name, value, threshold, reached: value >= threshold };
}

/** Shares of the count over bins on a square-root scale (counts are skewed), up to the 99.5th percentile of both. */
function countHistogram(ref: WeightedSample, cur: WeightedSample): SignalDistribution {
  const top = Math.max(quantile(ref, 0.995), quantile(cur, 0.995), 1);
  const bins = 24;
  const edges: number[] = [];
  for (let k = 1; k < bins; k++) edges.push(Math.round((top * k * k) / (bins * bins)));
  const uniq = [...new Set(edges)];
  const labels = uniq.map((e, k) => `${k === 0 ? 0 : uniq[k - 1] + 1}–${e}`).concat(`>${uniq[uniq.length - 1]}`);
  return {
    name: 'count',
    labels,
    reference: Array.from(normalise(binWeights(ref, uniq)), round6),
    current: Array.from(normalise(binWeights(cur, uniq)), round6),
  };
}

function quantile(s: WeightedSample, p: number): number {
  return s.total > 0 ? weightedQuantile(s, p) : 0;
}

export function normalise(a: Float64Array): Float64Array {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s > 0 ? a.map((v) => v / s) : a.slice();
}

function finiteOr(v: number, cap: number): number {
  return Number.isFinite(v) ? v : cap;
}

function round6(v: number): number {
  return Math.round(v * 1e6) / 1e6;
}
