/**
 * `bin/livewall <command>` (contract 4). Each command runs the same services as the app,
 * headless. Exit codes: 0 ok, 1 a check failed or a run ended in error, 2 bad usage/config.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createFeed } from '../app/sources';
import { createWebServer } from '../app/webServer';
import { isLoopbackBind, READS_ONLY_REASON } from '../app/requestPolicy';
import {
  awsFlags,
  COMMON_OPTIONS,
  commonConfig,
  numberOption,
  UsageError,
  untilSignal,
} from './common';
import { tail } from './tailCommand';
import { engine } from './engineCommand';
import { flink } from './flinkCommand';
import { health } from './healthCommand';
import { simulate } from './simulateCommand';
import { cdc } from './cdcCommand';
import { load } from './loadCommand';
import { PIPELINE_OPTIONS, pipelineSettings } from './pipelineFlags';

const USAGE = `Usage: livewall <command> [options]

Commands:
  web [--port 3008] [--host 127.0.0.1] [--hostname NAME]... [--source embedded|kinesis]
      [--stream metric_ds] [--from today|latest|trim|ISO-time] [--demo-rate R] [--state-dir DIR]
                         serve the big screen to browsers (default: the embedded pipeline);
                         bursts need LIVEWALL_TOKEN when --host is not loopback
  tail <stream> [--from latest|trim|today|ISO-time] [--limit N] [--raw] [--format change|metric|wide|json]
                         print a stream's records, one decoded JSON per line
  simulate --mysql URL [--orders 100] [--rate R] [--lifecycle] [--create-table] [--step-delay-ms 1000-5000]
                         write demo orders into MySQL (--orders 0: until Ctrl-C, needs --rate)
  cdc --mysql URL [--stream order_ds] [--position-file F] [--from-current] [--server-id N]
                         binlog to Maxwell JSON on a stream
  engine [--source order_ds] [--metrics metric_ds] [--dwd dwd_customer_order_ds] [--customers URL]
         [--from trim] [--state-dir .livewall] [--db-time-zone ZONE] [--retention-days 2]
         [--emit-interval 500] [--lookup-bound 200]
                         change events to metric records and wide rows, checkpointed
  flink [same options as engine] [--parallelism 1] [--checkpoint-interval 5000] [--flink-classpath FILE]
                         the same as engine, as the Flink job (flink/) in a local MiniCluster
  load --warehouse URL [--dwd-stream dwd_customer_order_ds] [--table customer_order]
       [--dialect postgres|redshift] [--create-table] [--buffer-interval 60] [--buffer-size 5]
       [--from trim|latest|today|ISO-time]
                         wide rows into Redshift/PostgreSQL, one row per order, exactly once
  health [--json] [--trace] [--streams a,b] [pipeline flags]
                         probe every configured stage and the lag of every hop:
                         exit 0 all pass, 1 one fails, 2 bad config (--trace: follow one marked order)

Pipeline flags (health and web; the config's "pipeline" block): --mysql URL --customers URL
  --order-stream NAME --metric-stream NAME --dwd-stream NAME --flink-app NAME --firehose NAME
  --warehouse URL --max-lag SECONDS (default 60)

Common options: --config FILE, --time-zone ZONE, --profile NAME, --region NAME, --endpoint URL
`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(USAGE);
    return command ? 0 : 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(USAGE);
    return 0;
  }
  try {
    switch (command) {
      case 'web':
        return await web(rest);
      case 'tail':
        return await tail(rest);
      case 'simulate':
        return await simulate(rest);
      case 'cdc':
        return await cdc(rest);
      case 'engine':
        return await engine(rest);
      case 'flink':
        return await flink(rest);
      case 'health':
        return await health(rest);
      case 'load':
        return await load(rest);
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (err instanceof UsageError || code?.startsWith('ERR_PARSE_ARGS')) {
      // An option's value that starts with "-" reads as another option to node's parser.
      const message =
        code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && /ambiguous/.test((err as Error).message)
          ? `${/'(--[\w-]+)'/.exec((err as Error).message)?.[1] ?? 'an option'} needs a value (write negative numbers as --option=-1 if you mean one)`
          : (err as Error).message;
      process.stderr.write(
        `livewall ${command}: ${message}\n(livewall --help lists the commands and options)\n`,
      );
      return 2;
    }
    process.stderr.write(`livewall ${command}: ${(err as Error).message}\n`);
    return 1;
  }
}

async function web(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      ...COMMON_OPTIONS,
      port: { type: 'string' },
      host: { type: 'string' },
      hostname: { type: 'string', multiple: true },
      source: { type: 'string' },
      stream: { type: 'string' },
      from: { type: 'string' },
      'demo-rate': { type: 'string' },
      'state-dir': { type: 'string' },
      ...PIPELINE_OPTIONS,
    },
  });
  const config = commonConfig(values);
  config.pipeline = pipelineSettings(values, config.pipeline);
  const port = numberOption(values.port, 'port', 0, 65535) ?? config.web.port;
  const host = values.host ?? config.web.host;
  config.demoRate = numberOption(values['demo-rate'], 'demo-rate', 0, 10_000) ?? config.demoRate;
  const source = values.source ?? config.source;
  if (source !== 'embedded' && source !== 'kinesis') {
    throw new UsageError('--source must be "embedded" or "kinesis"');
  }
  config.source = source;
  if (values.stream) config.stream = values.stream;
  if (values.from) config.from = values.from;
  const running = createFeed(config, {
    aws: awsFlags(values),
    ...(values['state-dir'] ? { stateFile: join(values['state-dir'], 'embedded-state.json') } : {}),
  });
  if (!running.ok) throw new UsageError(running.error);
  const server = createWebServer({
    feed: running.value.feed,
    staticDir: join(__dirname, '../renderer'),
    host,
    port,
    hostnames: [...config.web.hostnames, ...(values.hostname ?? [])],
    ...(process.env.LIVEWALL_TOKEN ? { token: process.env.LIVEWALL_TOKEN } : {}),
  });
  running.value.start();
  let url: string;
  try {
    ({ url } = await server.start());
  } catch (err) {
    await running.value.stop();
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE')
      throw new Error(`port ${port} on ${host} is in use: choose another with --port`, {
        cause: err,
      });
    if (code === 'EADDRNOTAVAIL')
      throw new Error(`${host} is not an address of this machine: check --host`, { cause: err });
    throw err;
  }
  process.stdout.write(
    `livewall web: serving ${url} (${running.value.description}, time zone ${config.timeZone})\n`,
  );
  if (!process.env.LIVEWALL_TOKEN && !isLoopbackBind(host)) {
    process.stderr.write(`livewall web: ${READS_ONLY_REASON}\n`);
  }
  await untilSignal();
  await server.stop();
  await running.value.stop();
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
