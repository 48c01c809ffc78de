import { Client, Connection } from '@temporalio/client';
import type { AppConfig } from '../config/app-config';

export async function withClient<T>(
  cfg: Pick<AppConfig, 'temporalAddress' | 'namespace'>,
  work: (client: Client) => Promise<T>,
): Promise<T> {
  let connection: Connection;
  try {
    connection = await Connection.connect({ address: cfg.temporalAddress, connectTimeout: 3000 });
  } catch (err) {
    throw new Error(
      `no Temporal server at ${cfg.temporalAddress} (${(err as Error).message}); start one with \`bike-retrain server\``,
    );
  }
  try {
    return await work(new Client({ connection, namespace: cfg.namespace }));
  } finally {
    await connection.close();
  }
}
