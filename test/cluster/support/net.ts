import { createServer } from 'node:net';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function tryListen(port: number): Promise<number | null> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(null));
    srv.listen(port, '127.0.0.1', () => {
      const { port: bound } = srv.address() as { port: number };
      srv.close(() => resolve(bound));
    });
  });
}

/** A TCP port free on 127.0.0.1 right now (the OS picks it). */
export async function freePort(): Promise<number> {
  const port = await tryListen(0);
  if (port === null) throw new Error('no free TCP port on 127.0.0.1');
  return port;
}

/**
 * A free port below 32768. Temporal keeps its membership ports in a PostgreSQL
 * smallint column (cluster_membership.rpc_port): a port the OS picks from
 * Linux's ephemeral range (32768–60999) makes the server exit with "out of
 * range for type smallint". Below that range, one the OS does not hand out.
 */
export async function freePortBelow32768(): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const port = await tryListen(20_000 + Math.floor(Math.random() * 12_000));
    if (port !== null) return port;
  }
  throw new Error('no free TCP port between 20000 and 32000 on 127.0.0.1');
}
