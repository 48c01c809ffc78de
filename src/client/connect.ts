import { Client, Connection } from '@temporalio/client';
import type { EnvConfig } from '../config/env-config';
import { assertTemporalReachable, TemporalUnreachableError } from './probe';

/**
 * A client for `work`, closed afterwards. A dead address fails at once with a
 * TemporalUnreachableError (a TCP probe first, then a short gRPC connect
 * timeout) instead of gRPC retrying until a deadline.
 */
export async function withClient<T>(
  cfg: Pick<EnvConfig, 'temporalAddress' | 'namespace'>,
  work: (client: Client) => Promise<T>,
): Promise<T> {
  await assertTemporalReachable(cfg.temporalAddress);
  let connection: Connection;
  try {
    connection = await Connection.connect({ address: cfg.temporalAddress, connectTimeout: 3000 });
  } catch (err) {
    throw new TemporalUnreachableError(cfg.temporalAddress, (err as Error).message);
  }
  try {
    return await work(new Client({ connection, namespace: cfg.namespace }));
  } finally {
    await connection.close();
  }
}
