// The workflow bundle's entry: only workflow code and type-only imports below here.
export { approvalUpdate, monitorAndFineTune, statusQuery } from './monitor-and-fine-tune';
export type { ApprovalRequest, MonitorResult, MonitorStatus } from './monitor-and-fine-tune';
