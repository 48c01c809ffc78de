// The workflow bundle's entry: only workflow code and type-only imports below here.
export { monitorAndFineTune, statusQuery } from './monitor-and-fine-tune';
export type { MonitorResult, MonitorStatus } from './monitor-and-fine-tune';
