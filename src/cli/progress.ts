import { SingleBar, Presets } from 'cli-progress';
import type { FitProgress } from '../model/regressor';

/**
 * Progress bars on a terminal. This module loads cli-progress: commands import
 * it inside their actions, never at the top of a command module.
 */

/** A progress bar for training on a terminal; plain lines when output is piped (CI logs). */
export function trainingProgress(label: string): { onProgress: (p: FitProgress) => void; stop: () => void } {
  if (!process.stderr.isTTY) {
    let last = -1;
    return {
      onProgress: (p) => {
        const tenth = Math.floor((10 * p.done) / p.total);
        if (tenth !== last) {
          last = tenth;
          process.stderr.write(`${label}: ${p.done}/${p.total} ${p.unit}\n`);
        }
      },
      stop: () => undefined,
    };
  }
  const bar = new SingleBar(
    { format: `${label} [{bar}] {value}/{total} {unit} | {duration_formatted}`, stream: process.stderr },
    Presets.shades_classic,
  );
  let started = false;
  return {
    onProgress: (p) => {
      if (!started) {
        bar.start(p.total, 0, { unit: p.unit });
        started = true;
      }
      // Boosting that stops early shrinks its total to the rounds it ran.
      if (p.total !== bar.getTotal()) bar.setTotal(p.total);
      bar.update(p.done, { unit: p.unit });
    },
    stop: () => started && bar.stop(),
  };
}

/** A bar for a load or an import on a terminal; silence when piped (CI logs get the summary lines instead). */
export function countProgress(
  label: string,
  unit: string,
): { update: (done: number, total: number) => void; stop: () => void } {
  if (!process.stderr.isTTY) return { update: () => undefined, stop: () => undefined };
  const bar = new SingleBar(
    {
      format: `${label} [{bar}] {percentage}% | {value}/{total} ${unit} | {duration_formatted}`,
      stream: process.stderr,
      formatValue: (v) => String(Math.round(v)),
    },
    Presets.shades_classic,
  );
  let started = false;
  return {
    update: (done, total) => {
      if (!started) {
        bar.start(total, 0);
        started = true;
      }
      bar.setTotal(total);
      bar.update(done);
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}
