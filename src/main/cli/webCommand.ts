/**
 * `livewall web`: the big screen served to browsers, from the embedded pipeline or a stream.
 */
import { join } from 'node:path';
import { createFeed } from '../app/sources';
import { createWebServer } from '../app/webServer';
import { isLoopbackBind, READS_ONLY_REASON } from '../app/requestPolicy';
import { isValidTimeZone } from '@shared/time';
import type { LivewallConfig } from '../app/config';
import { cliConfigLocation, loadCliConfig, watchConfigFile } from '../app/configFile';
import {
  AWS_ENV,
  awsFlags,
  COMMON_FLAGS,
  commonConfig,
  numberOption,
  UsageError,
  untilSignal,
} from './common';
import { PIPELINE_FLAGS, pipelineSettings } from './pipelineFlags';
import { parseCommand, type CommandSpec, type Values } from './usage';

export const WEB = {
  name: 'web',
  brief: 'serve the big screen to browsers',
  summary:
    'Serve the big screen to browsers, until Ctrl-C: from the embedded pipeline (demo orders, no setup) or from a metric stream.',
  flags: {
    port: { type: 'string', value: 'N', default: '3008', config: 'web.port', help: 'the port' },
    host: {
      type: 'string',
      value: 'ADDR',
      default: '127.0.0.1',
      config: 'web.host',
      help: 'the address to listen on (0.0.0.0 for other PCs)',
    },
    hostname: {
      type: 'string',
      multiple: true,
      value: 'NAME',
      config: 'web.hostnames',
      help: 'a name browsers use for this PC (repeatable)',
    },
    source: {
      type: 'string',
      value: 'KIND',
      default: 'embedded',
      config: 'source',
      help: 'embedded (in-process demo pipeline) or kinesis (read --stream)',
    },
    stream: {
      type: 'string',
      value: 'NAME',
      default: 'metric_ds',
      config: 'stream',
      help: 'the metric stream the screen reads (source kinesis)',
    },
    from: {
      type: 'string',
      value: 'POS',
      default: 'today',
      config: 'from',
      help: 'where reading starts: today, latest, trim or an ISO time',
    },
    'demo-rate': {
      type: 'string',
      value: 'R',
      default: '2',
      config: 'demoRate',
      help: 'background demo orders per second (source embedded)',
    },
    'state-dir': {
      type: 'string',
      value: 'DIR',
      help: "keep the embedded pipeline's state here, so a restart keeps today's totals",
    },
    ...PIPELINE_FLAGS,
    ...COMMON_FLAGS,
  },
  env: [
    ...AWS_ENV,
    ['LIVEWALL_TOKEN', 'the token bursts need when --host is not loopback'],
    ['LIVEWALL_MYSQL_PASSWORD', "the password of the config's mysql.url (for bursts)"],
  ],
  examples: [
    'livewall web',
    'livewall web --source kinesis --stream metric_ds --endpoint http://127.0.0.1:4567',
  ],
} as const satisfies CommandSpec;

/** One serving of the screen: a feed and its web server, stopped together. */
interface Serving {
  url: string;
  stop(): Promise<void>;
}

async function serve(config: LivewallConfig, values: Values<typeof WEB.flags>): Promise<Serving> {
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
  return {
    url,
    stop: async () => {
      await server.stop();
      await running.value.stop();
    },
  };
}

export async function web(args: string[]): Promise<number> {
  const { values } = parseCommand(WEB, args);
  const applyFlags = (config: LivewallConfig): LivewallConfig => {
    const tz = values['time-zone'];
    if (tz !== undefined) {
      if (!isValidTimeZone(tz)) throw new UsageError(`unknown time zone "${tz}"`);
      config.timeZone = tz;
    }
    return config;
  };
  const where = cliConfigLocation(values.config);
  let applied = commonConfig('web', values);
  let current = await serve(structuredClone(applied), values);

  // A changed config file is applied at once: the screen is served again with it (browsers
  // reconnect by themselves); a file that does not parse keeps the running settings.
  let reloading = Promise.resolve();
  const say = (line: string): void => void process.stderr.write(`livewall web: ${line}\n`);
  const onChange = (): void => {
    reloading = reloading.then(async () => {
      const { line, result } = loadCliConfig(values.config);
      let next: LivewallConfig;
      try {
        if (!result.ok) throw new Error(result.error);
        next = applyFlags(result.value.config);
      } catch (err) {
        say(`${(err as Error).message}; the screen keeps its running settings until it is fixed`);
        return;
      }
      say(`${line} changed: applying it`);
      await current.stop();
      try {
        current = await serve(structuredClone(next), values);
        applied = next;
      } catch (err) {
        say(`cannot apply it (${(err as Error).message}); serving the earlier settings`);
        current = await serve(structuredClone(applied), values);
      }
    });
  };
  const watched = watchConfigFile(where.path, onChange);
  await untilSignal();
  watched.close();
  await reloading;
  await current.stop();
  return 0;
}
