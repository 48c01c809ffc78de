import { connect } from 'node:net';

/** Nothing listens at the Temporal address: an expected error, reported without a stack trace. */
export class TemporalUnreachableError extends Error {
  override readonly name = 'TemporalUnreachableError';
  constructor(
    readonly address: string,
    reason: string,
  ) {
    super(`no Temporal server at ${address} (${reason}); start one with \`bike-retrain server\``);
  }
}

export const PROBE_TIMEOUT_MS = 2000;

/**
 * Opens and closes one TCP connection to `host:port`. gRPC retries a refused
 * connection until its deadline, so without this a dead address costs the
 * whole connect timeout; with it the answer comes at once. Needs no SDK, so a
 * command can call it before loading `@temporalio/client`. Addresses it cannot
 * parse are left to the SDK.
 */
export async function assertTemporalReachable(address: string, timeoutMs = PROBE_TIMEOUT_MS): Promise<void> {
  const m = /^\[?([^\]]*?)\]?:(\d+)$/.exec(address.trim());
  if (!m) return;
  const host = m[1];
  const port = Number(m[2]);
  await new Promise<void>((resolve, reject) => {
    const socket = connect({ host, port });
    const fail = (reason: string) => {
      socket.destroy();
      reject(new TemporalUnreachableError(address, reason));
    };
    socket.setTimeout(timeoutMs, () => fail(`no answer within ${timeoutMs / 1000} s`));
    socket.once('connect', () => {
      socket.destroy();
      resolve();
    });
    socket.once('error', (err: NodeJS.ErrnoException) =>
      fail(
        err.code === 'ECONNREFUSED'
          ? 'connection refused'
          : err.code === 'ENOTFOUND' || err.code === 'EAI_AGAIN'
            ? `unknown host ${host}`
            : err.message,
      ),
    );
  });
}
