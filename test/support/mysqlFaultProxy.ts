/**
 * A TCP proxy in front of the private MariaDB that cuts a connection at a chosen statement, so a
 * test can lose exactly the answer to a COMMIT (the commit happened, the client never heard) or
 * the statement itself (it never reached the server). The server is real; only the wire breaks.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';

export type Fault =
  /** Do not forward the statement; close the client's side (the server sees a disconnect). */
  | 'drop-statement'
  /** Forward the statement, swallow the server's answer, close the client's side only. */
  | 'lose-answer';

export interface FaultProxy {
  readonly port: number;
  /** The next client packet containing `sql` (a COM_QUERY) trips `fault`, once. */
  arm(sql: string, fault: Fault): void;
  /** How many faults have tripped. */
  readonly tripped: number;
  close(): Promise<void>;
}

const COM_QUERY = 0x03;

export async function startFaultProxy(upstreamPort: number): Promise<FaultProxy> {
  let armed: { sql: Buffer; fault: Fault } | null = null;
  let tripped = 0;
  const sockets = new Set<Socket>();

  const server: Server = createServer((client) => {
    const upstream = connect(upstreamPort, '127.0.0.1');
    sockets.add(client);
    sockets.add(upstream);
    let swallowAnswer = false;
    const closeClient = (): void => {
      client.destroy();
    };
    client.on('data', (chunk) => {
      const trap = armed;
      // A COM_QUERY packet: 3-byte length, sequence id, 0x03, then the statement text.
      if (trap && chunk[4] === COM_QUERY && chunk.subarray(5).includes(trap.sql)) {
        armed = null;
        tripped++;
        if (trap.fault === 'drop-statement') {
          closeClient();
          upstream.destroy();
          return;
        }
        swallowAnswer = true;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk) => {
      if (swallowAnswer) {
        // The server answered (so the statement ran); the client never hears it. The server's
        // side stays open, as when a network path dies silently.
        swallowAnswer = false;
        closeClient();
        return;
      }
      if (!client.destroyed) client.write(chunk);
    });
    const forget = (s: Socket) => () => sockets.delete(s);
    client.on('close', forget(client));
    upstream.on('close', () => {
      sockets.delete(upstream);
      client.destroy();
    });
    client.on('error', () => undefined);
    upstream.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('proxy has no port');
  return {
    port: address.port,
    arm(sql: string, fault: Fault): void {
      armed = { sql: Buffer.from(sql, 'utf8'), fault };
    },
    get tripped() {
      return tripped;
    },
    async close(): Promise<void> {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
