import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { TestProject } from 'vitest/node' with { 'resolution-mode': 'import' };
import { ensureTemporalCli } from '../../src/temporal/temporal-cli';
import { ALL_SEARCH_ATTRIBUTES } from '../../src/workflows/search-attributes';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
  }
}

/**
 * One real Temporal dev server (the CLI's, built once by `npm run setup` or
 * here) for the whole integration run. Never a fake: the tests exercise real
 * histories, retries, search attributes and schedules.
 */
let env: TestWorkflowEnvironment | undefined;

export async function setup(project: TestProject): Promise<void> {
  const path = ensureTemporalCli();
  env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path },
      searchAttributes: [...ALL_SEARCH_ATTRIBUTES],
      extraArgs: ['--log-level', 'error'],
    },
  });
  project.provide('temporalAddress', env.address);
}

export async function teardown(): Promise<void> {
  await env?.teardown();
}
