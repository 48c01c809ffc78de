import { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { assertTemporalReachable } from '../client/probe';
import type { EnvConfig } from '../config/env-config';
import { cliType, indexedType } from '../temporal/dev-server';
import { ALL_SEARCH_ATTRIBUTES } from '../workflows/search-attributes';
import { CheckFailed, errorText, fail, ok, skip, type Check } from './check';

type TemporalConfig = Pick<EnvConfig, 'temporalAddress' | 'namespace'>;

/**
 * The server answers and has the namespace; our search attributes are
 * registered with their types (a workflow setting one that is missing fails
 * its task). One connection for both; a server that does not answer leaves
 * the second check skipped, not failed twice.
 */
export function temporalChecks(cfg: TemporalConfig): { checks: Check[]; close(): Promise<void> } {
  let connection: Promise<Connection> | undefined;
  const connect = () =>
    (connection ??= (async () => {
      await assertTemporalReachable(cfg.temporalAddress);
      return Connection.connect({ address: cfg.temporalAddress, connectTimeout: 3000 });
    })());
  const cli = `--address ${cfg.temporalAddress} --namespace ${cfg.namespace}`;

  // Connected and the namespace described: what the search-attribute check needs too.
  let ready: Promise<Connection> | undefined;
  const connectToNamespace = () =>
    (ready ??= connect().then(async (c) => {
      await c.workflowService.describeNamespace({ namespace: cfg.namespace });
      return c;
    }));

  const server: Check = {
    name: 'Temporal',
    async run() {
      try {
        await connect();
      } catch (err) {
        return fail(
          errorText(err).replace(/; start one with .*$/, ''), // the fix below says it
          `start it (\`bike-retrain server\` starts a dev server) or point TEMPORAL_ADDRESS at the running one`,
        );
      }
      try {
        await connectToNamespace();
      } catch (err) {
        if (grpcCode(err) === 5)
          return fail(
            `${cfg.temporalAddress} answers but has no namespace "${cfg.namespace}"`,
            `temporal operator namespace create --address ${cfg.temporalAddress} --namespace ${cfg.namespace} (or set TEMPORAL_NAMESPACE)`,
          );
        return fail(
          `${cfg.temporalAddress} answers, but not as a Temporal frontend: ${errorText(err)}`,
          "point TEMPORAL_ADDRESS at the Temporal frontend's gRPC address (port 7233 by default)",
        );
      }
      return ok(`${cfg.temporalAddress} answers; namespace "${cfg.namespace}" exists`);
    },
  };

  const searchAttributes: Check = {
    name: 'search attributes',
    async run() {
      const c = await connectToNamespace().catch(() => null);
      if (!c) return skip('not checked: see the Temporal check');
      const listed = await c.operatorService.listSearchAttributes({ namespace: cfg.namespace });
      const have = listed.customAttributes ?? {};
      const missing = ALL_SEARCH_ATTRIBUTES.filter((k) => have[k.name] === undefined);
      const wrong = ALL_SEARCH_ATTRIBUTES.filter(
        (k) => have[k.name] !== undefined && have[k.name] !== indexedType(k.type),
      );
      if (!missing.length && !wrong.length)
        return ok(`${ALL_SEARCH_ATTRIBUTES.map((k) => k.name).join(', ')} registered`);
      // One create per attribute: the CLI (v1.5.1) takes several --name but registers only the first.
      const creates = [...missing, ...wrong].map(
        (k) => `temporal operator search-attribute create ${cli} --name ${k.name} --type ${cliType(k.type)}`,
      );
      const removes = wrong.map((k) => `temporal operator search-attribute remove ${cli} --name ${k.name} --yes`);
      const problems = [
        ...missing.map((k) => `${k.name} (${cliType(k.type)}) missing`),
        ...wrong.map((k) => `${k.name} is ${typeName(have[k.name])}, expected ${cliType(k.type)}`),
      ];
      throw new CheckFailed(problems.join('; '), [...removes, ...creates].join(' && '));
    },
  };

  return {
    checks: [server, searchAttributes],
    async close() {
      const c = await connection?.catch(() => null);
      await c?.close();
    },
  };
}

function grpcCode(err: unknown): number | undefined {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'number' ? code : undefined;
}

function typeName(t: temporal.api.enums.v1.IndexedValueType | undefined): string {
  const name = t === undefined ? undefined : temporal.api.enums.v1.IndexedValueType[t];
  return name ? cliType(name.replace('INDEXED_VALUE_TYPE_', '')) : String(t);
}
