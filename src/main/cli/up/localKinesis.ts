/**
 * A local Kinesis for `livewall up`: kinesalite (a development dependency) on 127.0.0.1 only, its
 * streams kept in the state folder so a second run finds them. kinesalite's own cli.js binds every
 * interface; this script binds loopback, and outlives a client that goes away mid-request.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { startChild, untilReady, type Child } from './child';

const SERVER_SCRIPT = `
process.on('uncaughtException', (e) => {
  if (e && e.code === 'ECONNRESET') return;
  console.error(e);
  process.exit(1);
});
const [main, port, options] = process.argv.slice(1);
const server = require(main)(JSON.parse(options)).listen(Number(port), '127.0.0.1', () => {
  console.log('Listening at http://127.0.0.1:' + server.address().port);
});
`;

/** kinesalite's entry, or null when the repository's node_modules do not hold it. */
export function kinesaliteEntry(from: string): string | null {
  try {
    return createRequire(join(from, 'package.json')).resolve('kinesalite');
  } catch {
    return null;
  }
}

export async function startLocalKinesis(o: {
  root: string;
  dataDir: string;
  port: number;
  logs: string;
  env: NodeJS.ProcessEnv;
}): Promise<{ child: Child; endpoint: string }> {
  const entry = kinesaliteEntry(o.root);
  if (!entry) {
    throw new Error(
      `kinesalite is not installed in ${o.root}: run npm ci there first (it is a development dependency)`,
    );
  }
  const settings = { path: o.dataDir, createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 0 };
  const child = startChild(
    'kinesis',
    process.execPath,
    ['-e', SERVER_SCRIPT, entry, String(o.port), JSON.stringify(settings)],
    { env: o.env, log: join(o.logs, 'kinesis.log') },
  );
  try {
    await untilReady(child, (out) => out.includes('Listening at'), 30_000);
  } catch (err) {
    await child.stop(1_000);
    if (/EADDRINUSE/.test(child.output())) {
      throw new Error(`port ${o.port} is in use: choose another with --kinesis-port`, {
        cause: err,
      });
    }
    throw err;
  }
  return { child, endpoint: `http://127.0.0.1:${o.port}` };
}
