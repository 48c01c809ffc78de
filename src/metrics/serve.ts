import { Client, Connection } from '@temporalio/client';
import type { AppConfig } from '../config/app-config';
import { assertTemporalReachable } from '../client/probe';
import { ChampionRegistry, type RegistryDoc } from '../registry/champion-registry';
import { lastImport } from '../data/import-log';
import { openStorage } from '../storage/open-storage';
import { createMetricsCollector, startMetricsServer, type MetricsCollector } from './metrics-server';
import { listOpenRuns } from './open-runs';

const VISIBILITY_DEADLINE_MS = 10_000;

/**
 * The collector of the configured storage (BIKE_RETRAIN_STORAGE) and a Temporal namespace. The
 * connection is lazy and each listing is preceded by a TCP probe, so `metrics serve` starts (and
 * keeps serving the audit and registry metrics) while Temporal is down.
 */
export async function storageCollector(
  cfg: AppConfig,
): Promise<{ collector: MetricsCollector; describe: string; close(): Promise<void> }> {
  const storage = await openStorage(cfg);
  const connection = Connection.lazy({ address: cfg.temporalAddress, connectTimeout: 3000 });
  const client = new Client({ connection, namespace: cfg.namespace });
  const collector = createMetricsCollector({
    warehouse: storage.warehouse,
    registry: new ChampionRegistry(storage.registryDocument<RegistryDoc>(), storage.artifacts),
    openRuns: async () => {
      await assertTemporalReachable(cfg.temporalAddress);
      return client.withDeadline(Date.now() + VISIBILITY_DEADLINE_MS, () => listOpenRuns(client));
    },
    configured: { maxChampionRmse: cfg.runDefaults.trigger.maxChampionRmse },
    lastImport: () => lastImport(storage.artifacts),
  });
  return {
    collector,
    describe: storage.describe(),
    close: async () => {
      await connection.close();
      await storage.warehouse.close();
    },
  };
}

/** `bike-retrain metrics serve`: serves until SIGINT or SIGTERM. */
export async function serveMetrics(cfg: AppConfig, address: string, say: (m: string) => void): Promise<void> {
  const { collector, describe, close } = await storageCollector(cfg);
  const server = await startMetricsServer(address, collector);
  say(`serving bike-retrain metrics at ${server.url} (${describe}, Temporal ${cfg.temporalAddress}); Ctrl-C to stop`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await server.close();
  await close();
}
