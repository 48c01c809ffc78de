import { Context } from '@temporalio/activity';
import { evaluateModelsOnWindow } from '../champion/evaluate-model';
import type { ModelMetrics } from '../core/domain';
import type { ActivityDeps } from './deps';

/**
 * Scores models on one warehouse window (a backtest's week after a decision),
 * with the same code as `bike-retrain evaluate`. A window with no rows scores
 * null: the last decisions of a history have no week after them.
 */
export function makeScoreModels(deps: ActivityDeps) {
  return async function scoreModels(args: {
    window: { fromMs: number; toMs: number };
    models: Record<string, string>;
  }): Promise<Record<string, ModelMetrics | null>> {
    Context.current().heartbeat({ scoring: Object.keys(args.models) });
    const summary = await deps.warehouse.summarizeCounts(args.window);
    if (summary.rows === 0) return Object.fromEntries(Object.keys(args.models).map((name) => [name, null]));
    return evaluateModelsOnWindow(deps, args.models, args.window);
  };
}
