/**
 * Recipe lab: a quick, workflow-free look at challenger training recipes on
 * the simulated seasons, to choose which ones deserve a real backtest
 * (bench/backtest-seasons.ts, through the workflow, is the judge).
 *
 * For each weekly asOf of a season: the recent 30 days, the last 20 % of
 * their days held out (test_current), a challenger trained by each recipe on
 * train_baseline + the rest, scored on the week after asOf. Prints, per
 * recipe, the mean next-week RMSE of "deploy every week" and of the
 * champion ("never").
 *
 *   npx tsx bench/recipe-lab.ts [--scale tiny] [--seasons a,b] [--recipes base,level7]
 */
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { DEFAULT_RUN_CONFIG, fullRetrainParams, modelParams, resolveRunConfig } from '../src/config/run-config';
import { concatCountTables, takeRows, type CountTable } from '../src/core/counts';
import { DAY_MS } from '../src/core/time';
import type { SimulationScale } from '../src/data/baseline';
import { resolveSeason, SEASON_NAMES, simulateSeason } from '../src/data/seasons';
import { splitByRecentDays } from '../src/activities/train-challenger';
import { predictCounts, trainModel, type TrainedModel } from '../src/model/champion-model';
import { rmse } from '../src/stats/regression-metrics';

function between(t: CountTable, fromMs: number, toMs: number): CountTable {
  const idx: number[] = [];
  for (let i = 0; i < t.length; i++) if (t.timestampMs[i] >= fromMs && t.timestampMs[i] < toMs) idx.push(i);
  return takeRows(t, idx);
}

/** A predictor: trees plus optional per-counter level factors applied from `sinceMs`. */
interface Predictor {
  trees: TrainedModel;
  factors?: Map<string, number>;
  sinceMs?: number;
}

async function predict(p: Predictor, t: CountTable): Promise<{ y: Float64Array; pred: Float64Array }> {
  const { yTrue, yPred } = await predictCounts(p.trees, t);
  if (p.factors)
    for (let i = 0; i < t.length; i++)
      if (t.timestampMs[i] >= (p.sinceMs ?? -Infinity)) yPred[i] *= p.factors.get(t.counterId[i]) ?? 1;
  return { y: yTrue, pred: yPred };
}

async function levelFactors(trees: TrainedModel, rows: CountTable, prior: number): Promise<Map<string, number>> {
  const { yTrue, yPred } = await predictCounts(trees, rows);
  const sy = new Map<string, number>();
  const sp = new Map<string, number>();
  for (let i = 0; i < rows.length; i++) {
    const c = rows.counterId[i];
    sy.set(c, (sy.get(c) ?? 0) + yTrue[i]);
    sp.set(c, (sp.get(c) ?? 0) + yPred[i]);
  }
  const f = new Map<string, number>();
  for (const [c, y] of sy) {
    const p = sp.get(c)!;
    // Shrink toward 1 with a pseudo-count of `prior` predicted counts.
    f.set(c, (y + prior) / (p + prior));
  }
  return f;
}

type Recipe = (o: {
  champion: TrainedModel;
  baseline: CountTable;
  recentTrain: CountTable;
  baseTrees: TrainedModel;
  params: ReturnType<typeof modelParams>;
}) => Promise<Predictor>;

const recipes: Record<string, Recipe> = {
  base: async (o) => ({ trees: o.baseTrees }),
};
recipes.oosLevel7 = async (o) => {
  const end = o.recentTrain.timestampMs[o.recentTrain.length - 1] + 1;
  const from = end - 7 * DAY_MS;
  const trees = (await trainModel(concatCountTables([o.baseline, between(o.recentTrain, 0, from)]), o.params)).model;
  const window = between(o.recentTrain, from, end);
  return { trees, factors: await levelFactors(trees, window, 0), sinceMs: from };
};
for (const days of [7])
  for (const prior of [0]) {
    recipes[`level${days}p${prior}`] = async (o) => {
      const end = o.recentTrain.timestampMs[o.recentTrain.length - 1] + 1;
      const window = between(o.recentTrain, end - days * DAY_MS, end);
      return {
        trees: o.baseTrees,
        factors: await levelFactors(o.baseTrees, window, prior),
        sinceMs: end - days * DAY_MS,
      };
    };
  }

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      scale: { type: 'string', default: 'tiny' },
      seasons: { type: 'string', default: SEASON_NAMES.join(',') },
      recipes: { type: 'string', default: Object.keys(recipes).join(',') },
    },
  });
  const runDefaults = resolveRunConfig(DEFAULT_RUN_CONFIG, {});
  const params = modelParams(runDefaults.model);
  console.log(`CPU: ${cpus()[0]?.model}; fine-tune params ${JSON.stringify(params)}`);
  for (const name of values.seasons!.split(',').map(resolveSeason)) {
    const sim = simulateSeason(name, values.scale as SimulationScale);
    const trainBaseline = between(sim.table, sim.trainFromMs, sim.testFromMs);
    const testBaseline = between(sim.table, sim.testFromMs, sim.baselineEndMs);
    const champion = (await trainModel(trainBaseline, fullRetrainParams(runDefaults))).model;
    const names = values.recipes!.split(',');
    const sums: Record<string, { next: number[]; testBaseline: number[]; alwaysNext: number[] }> = {};
    const deployed: Record<string, Predictor> = {};
    const never: number[] = [];
    for (const asOf of sim.asOfs) {
      const recent = between(sim.table, Math.max(asOf - 30 * DAY_MS, sim.baselineEndMs), asOf);
      const split = splitByRecentDays(recent, 0.2);
      const next = between(sim.table, asOf, asOf + 7 * DAY_MS);
      const champNext = await predict({ trees: champion }, next);
      never.push(rmse(champNext.y, champNext.pred));
      const line: string[] = [`${new Date(asOf).toISOString().slice(0, 10)} never ${never.at(-1)!.toFixed(1)}`];
      const baseTrees = (await trainModel(concatCountTables([trainBaseline, split.train]), params)).model;
      for (const r of names) {
        const p = await recipes[r]({ champion, baseline: trainBaseline, recentTrain: split.train, baseTrees, params });
        const n = await predict(p, next);
        const tb = await predict(p, testBaseline);
        const s = (sums[r] ??= { next: [], testBaseline: [], alwaysNext: [] });
        s.next.push(rmse(n.y, n.pred));
        s.testBaseline.push(rmse(tb.y, tb.pred));
        // "always": promote when better on test_current than the deployed one.
        const cur = deployed[r] ?? { trees: champion };
        const a = await predict(p, split.holdout);
        const b = await predict(cur, split.holdout);
        if (rmse(a.y, a.pred) < rmse(b.y, b.pred)) deployed[r] = p;
        const d = await predict(deployed[r] ?? { trees: champion }, next);
        s.alwaysNext.push(rmse(d.y, d.pred));
        line.push(`${r} ${s.next.at(-1)!.toFixed(1)}/${s.alwaysNext.at(-1)!.toFixed(1)}`);
      }
      console.log(line.join('  '));
    }
    const mean = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;
    console.log(`${name}: never ${mean(never).toFixed(2)}`);
    for (const r of names)
      console.log(
        `  ${r}: every-week ${mean(sums[r].next).toFixed(2)}, always ${mean(sums[r].alwaysNext).toFixed(2)}, test_baseline ${mean(sums[r].testBaseline).toFixed(2)}`,
      );
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
