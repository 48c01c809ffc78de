// The workflow bundle's entry: only workflow code and type-only imports below here.
export { monitorAndFineTune } from './monitor-and-fine-tune';
export { approvalUpdate, statusQuery } from './definitions';
