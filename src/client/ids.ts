/**
 * The workflow type and the business ids the client and the CLI name, apart
 * from the SDK so that `bike-retrain --help` can print them without loading it.
 */

/**
 * One business id for manual runs: with the FAIL conflict policy the server
 * itself refuses a second manual run while one is open, so two people cannot
 * fine-tune at once. Scheduled runs get `monitor-and-fine-tune-scheduled-<time>`.
 */
export const MANUAL_WORKFLOW_ID = 'monitor-and-fine-tune-manual';
export const WORKFLOW_TYPE = 'monitorAndFineTune';
export const SCHEDULE_ID = 'monitor-and-fine-tune-weekly';
