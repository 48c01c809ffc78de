import { execFile } from 'node:child_process';
import { join } from 'node:path';

export const CLI_MAIN = join(__dirname, '../../src/cli/main.ts');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `bike-retrain ARGS` as its own process, as a user would, on the data
 * folder `home`; never throws: the exit code, stdout and stderr are the result.
 * Asynchronous, so a worker in the test's process keeps polling meanwhile.
 */
export function runCli(home: string, args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', CLI_MAIN, ...args],
      {
        env: { ...process.env, BIKE_RETRAIN_HOME: home, ...env },
        encoding: 'utf8',
        maxBuffer: 16 * 1024 * 1024,
      },
      (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** What an expected error's stderr must not hold: a stack frame. */
export const STACK_FRAME = /^\s+at /m;
