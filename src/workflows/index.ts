// The workflow bundle's entry: only workflow code and type-only imports below here.
export { backtestMonitorAndFineTune } from './backtest';
export { monitorAndFineTune } from './monitor-and-fine-tune';
export { approvalUpdate, backtestProgressQuery, statusQuery } from './definitions';
