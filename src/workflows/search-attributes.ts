import { defineSearchAttributeKey } from '@temporalio/common';

/**
 * Custom search attributes shown as columns and filters in the Web UI
 * (e.g. `BikeRetrainDecision = "deploy"`). Registered by `bike-retrain server`
 * and by the worker at start.
 */
export const DECISION = defineSearchAttributeKey('BikeRetrainDecision', 'KEYWORD');
export const DRIFT_DETECTED = defineSearchAttributeKey('BikeRetrainDriftDetected', 'BOOL');
export const FORCED = defineSearchAttributeKey('BikeRetrainForced', 'BOOL');
export const STEP = defineSearchAttributeKey('BikeRetrainStep', 'KEYWORD');
/** Set on the weekly runs a backtest replays: `status`, the latest-run lookup and summaries leave them out. */
export const BACKTEST = defineSearchAttributeKey('BikeRetrainBacktest', 'BOOL');

export const ALL_SEARCH_ATTRIBUTES = [DECISION, DRIFT_DETECTED, FORCED, STEP, BACKTEST] as const;
