import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { ApprovalRequest, BacktestProgress, MonitorStatus } from '../core/domain';

/**
 * The weekly run's query and update, by name: shared by the workflow (which
 * handles them) and the client and CLI (which call them), so those never
 * import workflow code itself.
 */
export const statusQuery = defineQuery<MonitorStatus>('status');

/** A person's answer to a deploy waiting for approval (`bike-retrain approve|reject`). */
export const approvalUpdate = defineUpdate<{ accepted: true; decision: 'approved' | 'rejected' }, [ApprovalRequest]>(
  'approvePromotion',
);

/** A backtest's progress: runs done of the total, and the one under way. */
export const backtestProgressQuery = defineQuery<BacktestProgress>('backtestProgress');
