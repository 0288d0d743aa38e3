/**
 * `bin/livewall <command>` (contract 4). Each command runs the same services as the app,
 * headless. Exit codes: 0 ok, 1 a check failed or a run ended in error, 2 bad usage/config.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { isValidTimeZone } from '@shared/time';
import { loadConfig, type LivewallConfig } from '../config';
import { EmbeddedPipeline } from '../services/embeddedPipeline';
import { embeddedScreenSource } from '../services/screenSource';
import { createWebServer } from '../services/webServer';

const USAGE = `Usage: livewall <command> [options]

Commands:
  web [--port 3008] [--host 127.0.0.1] [--source embedded|kinesis] [--stream metric_ds] [--demo-rate R]
                         serve the big screen to browsers (default: the embedded pipeline)
  tail <stream>          print a stream's records, one JSON per line
  simulate --mysql URL   write demo orders into MySQL
  cdc --mysql URL        binlog to Maxwell JSON on a stream
  engine                 change events to metric records and wide rows
  health [--json]        probe every configured stage

Common options: --config FILE, --time-zone ZONE, --profile, --region, --endpoint
`;

class UsageError extends Error {}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(USAGE);
    return command ? 0 : 2;
  }
  try {
    switch (command) {
      case 'web':
        return await web(rest);
      case 'tail':
      case 'simulate':
      case 'cdc':
      case 'engine':
      case 'health':
        process.stderr.write(`livewall ${command}: not implemented yet\n`);
        return 2;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (err) {
    if (
      err instanceof UsageError ||
      (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
    ) {
      process.stderr.write(`livewall: ${(err as Error).message}\n\n${USAGE}`);
      return 2;
    }
    process.stderr.write(`livewall ${command}: ${(err as Error).message}\n`);
    return 1;
  }
}

/** Options every command shares, applied over the config file. */
function commonConfig(values: Record<string, unknown>): LivewallConfig {
  const loaded = loadConfig(values.config as string | undefined);
  if (!loaded.ok) throw new UsageError(loaded.error);
  const config = loaded.value;
  const tz = values['time-zone'];
  if (typeof tz === 'string') {
    if (!isValidTimeZone(tz)) throw new UsageError(`unknown time zone "${tz}"`);
    config.timeZone = tz;
  }
  return config;
}

const COMMON = {
  config: { type: 'string' },
  'time-zone': { type: 'string' },
  profile: { type: 'string' },
  region: { type: 'string' },
  endpoint: { type: 'string' },
} as const;

function numberOption(value: unknown, name: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max) {
    throw new UsageError(`--${name} must be a number from ${min} to ${max}`);
  }
  return n;
}

async function web(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      ...COMMON,
      port: { type: 'string' },
      host: { type: 'string' },
      source: { type: 'string' },
      stream: { type: 'string' },
      'demo-rate': { type: 'string' },
    },
  });
  const config = commonConfig(values);
  const port = numberOption(values.port, 'port', 0, 65535) ?? config.web.port;
  const host = values.host ?? config.web.host;
  const source = values.source ?? config.source;
  const demoRate = numberOption(values['demo-rate'], 'demo-rate', 0, 10_000) ?? config.demoRate;
  if (source !== 'embedded' && source !== 'kinesis') {
    throw new UsageError('--source must be "embedded" or "kinesis"');
  }
  if (source === 'kinesis') {
    process.stderr.write('livewall web: --source kinesis is not implemented yet\n');
    return 2;
  }
  const pipeline = new EmbeddedPipeline({
    timeZone: config.timeZone,
    demoRate,
    staleAfterMs: config.staleAfterSeconds * 1000,
  });
  const server = createWebServer({
    source: embeddedScreenSource(pipeline),
    staticDir: join(__dirname, '../renderer'),
    host,
    port,
    ...(process.env.LIVEWALL_TOKEN ? { token: process.env.LIVEWALL_TOKEN } : {}),
  });
  pipeline.start();
  const { url } = await server.start();
  process.stdout.write(
    `livewall web: serving ${url} (embedded pipeline, ${demoRate} demo orders/s, time zone ${config.timeZone})\n`,
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  pipeline.stop();
  await server.stop();
  return 0;
}

// bin/livewall sets LIVEWALL_CLI; tests import main() without running it.
if (process.env.LIVEWALL_CLI === '1') {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`livewall: ${(err as Error).message}\n`);
      process.exit(1);
    },
  );
}
