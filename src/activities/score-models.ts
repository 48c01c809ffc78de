import { Context } from '@temporalio/activity';
import { evaluateModelOnWindow } from '../champion/evaluate-model';
import type { ModelMetrics } from '../core/domain';
import { BadInputError } from '../core/errors';
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
    const out: Record<string, ModelMetrics | null> = {};
    const summary = await deps.warehouse.summarizeCounts(args.window);
    for (const [name, uri] of Object.entries(args.models)) {
      Context.current().heartbeat({ scoring: name });
      out[name] =
        summary.rows === 0
          ? null
          : await evaluateModelOnWindow(deps, uri, args.window).catch((err: unknown) => {
              if (err instanceof BadInputError && err.reason === 'no rows') return null;
              throw err;
            });
    }
    return out;
  };
}
