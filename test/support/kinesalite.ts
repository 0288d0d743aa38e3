import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  KinesisClient,
} from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { createRequire } from 'node:module';
import { onFreePort } from './ports';
import { spawnManaged, track, waitFor, type ManagedProcess } from './processes';

// __filename when loaded as CommonJS (tsx, since package.json has no "type": "module").
const here = typeof __filename === 'string' ? __filename : import.meta.url;
const KINESALITE = createRequire(here).resolve('kinesalite');

// What kinesalite's cli.js does, except that it listens on 127.0.0.1 only (cli.js binds every
// interface, which exposes the server and can clash with ports freePort() did not check) and
// outlives a client killed mid-request: kinesalite throws "aborted" (ECONNRESET) from the
// request's error handler, which would end the server when a test SIGKILLs a writer.
const SERVER_SCRIPT = `
process.on('uncaughtException', (e) => {
  if (e && e.code === 'ECONNRESET') { console.log('kinesalite: a client went away mid-request'); return; }
  console.error(e);
  process.exit(1);
});
const [main, port, options] = process.argv.slice(1);
const server = require(main)(JSON.parse(options)).listen(Number(port), '127.0.0.1', () => {
  console.log('Listening at http://127.0.0.1:' + server.address().port);
});
`;

export interface KinesaliteOptions {
  /** Shards allowed across all streams before LimitExceededException (kinesalite default 10). */
  shardLimit?: number;
  /** How long a stream stays CREATING (default 0 here; kinesalite's own default is 500). */
  createStreamMs?: number;
  /** How long a stream stays DELETING (default 0). */
  deleteStreamMs?: number;
  /** How long a stream stays UPDATING (default 0). */
  updateStreamMs?: number;
  /**
   * LevelDB directory, owned by the caller. Without it kinesalite keeps everything in memory, so
   * stop() + restart() comes back with no streams. With it, streams and records survive a restart.
   * This needs leveldown: its install script is denied (allowScripts), but node-gyp-build loads
   * the prebuilt N-API binary shipped in the package at runtime, so it works without compiling.
   */
  path?: string;
}

export interface Kinesalite {
  /** http://127.0.0.1:PORT */
  readonly endpoint: string;
  readonly port: number;
  /** Stops the server (idempotent); restart() brings it back on the same port. */
  stop(): Promise<void>;
  /** Stops the server if running and starts it again on the same port. */
  restart(): Promise<void>;
  /** Stops the server for good and unregisters it from stopAll(). */
  dispose(): Promise<void>;
  /** Recent output of the current server process. */
  output(): string;
}

async function launch(port: number, options: KinesaliteOptions): Promise<ManagedProcess> {
  const settings = {
    createStreamMs: options.createStreamMs ?? 0,
    deleteStreamMs: options.deleteStreamMs ?? 0,
    updateStreamMs: options.updateStreamMs ?? 0,
    shardLimit: options.shardLimit ?? 10,
    ...(options.path !== undefined ? { path: options.path } : {}),
  };
  const args = ['-e', SERVER_SCRIPT, KINESALITE, String(port), JSON.stringify(settings)];
  const proc = spawnManaged(`kinesalite :${port}`, process.execPath, args);
  try {
    // Printed from the listen callback, i.e. once the port is bound.
    await waitFor('kinesalite to listen', () => proc.output().includes('Listening at'), {
      timeoutMs: 30_000,
      intervalMs: 20,
      process: proc,
    });
  } catch (error) {
    await proc.stop(1_000);
    throw error;
  }
  return proc;
}

/**
 * Starts kinesalite as a child process on a free port, so a test can stop and restart it
 * mid-stream. Data is in memory (lost on restart) unless `options.path` is given.
 */
export async function startKinesalite(options: KinesaliteOptions = {}): Promise<Kinesalite> {
  const started = await onFreePort(async (port) => ({ port, proc: await launch(port, options) }));
  const { port } = started;
  let { proc } = started;
  const stop = (): Promise<void> => proc.stop(2_000);
  const untrack = track(proc.name, stop);
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    stop,
    async restart(): Promise<void> {
      await proc.stop(2_000);
      proc = await launch(port, options);
    },
    async dispose(): Promise<void> {
      untrack();
      await stop();
    },
    output: () => proc.output(),
  };
}

/**
 * A Kinesis client for kinesalite. NodeHttpHandler (HTTP/1.1) because the SDK's default handler
 * fails against kinesalite; the credentials are fake but must exist for request signing.
 */
export function kinesisClient(endpoint: string): KinesisClient {
  return new KinesisClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDLIVEWALLTEST', secretAccessKey: 'livewall-test-secret' },
    requestHandler: new NodeHttpHandler(),
  });
}

/** Creates a stream and waits until it is ACTIVE. */
export async function createStream(
  client: KinesisClient,
  name: string,
  shards: number,
  timeoutMs = 30_000,
): Promise<void> {
  await client.send(new CreateStreamCommand({ StreamName: name, ShardCount: shards }));
  await waitFor(
    `stream ${name} to become ACTIVE`,
    async () => {
      const { StreamDescriptionSummary: summary } = await client.send(
        new DescribeStreamSummaryCommand({ StreamName: name }),
      );
      return summary?.StreamStatus === 'ACTIVE';
    },
    { timeoutMs, intervalMs: 50 },
  );
}
