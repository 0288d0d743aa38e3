/**
 * `livewall up`: the whole workshop pipeline on this machine, with real parts, in one command —
 * kinesalite, a private MariaDB with binlog ROW, `simulate --lifecycle`, `cdc`, `engine` (or
 * `flink`) and `web` with every stage on its pipeline strip. One Ctrl-C stops all of it, in order.
 * State lives under --state-dir (default .livewall/up/), so a second run resumes.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { createKinesisClient } from '../kinesis/kinesisClient';
import { createStreams, PIPELINE_STREAMS } from '../kinesis/streamAdmin';
import { numberOption, UsageError, untilSignal } from './common';
import { parseCommand, type CommandSpec } from './usage';
import { lastLines, startChild, untilReady, type Child } from './up/child';
import { startLocalKinesis } from './up/localKinesis';
import { startLocalMariaDB } from './up/localMariaDB';
import { postgresBin, startLocalPostgres } from './up/localPostgres';

const NAME = 'livewall up';
/** Marks a folder as `up`'s own, so --fresh never deletes anything else. */
const MARK = '.livewall-up';
const [ORDER_DS, METRIC_DS, DWD_DS] = PIPELINE_STREAMS;

export const UP = {
  name: 'up',
  brief: 'the whole pipeline on this machine, one command',
  summary:
    'Run the whole workshop pipeline on this machine with real parts — kinesalite, a private MariaDB with binlog ROW, simulate --lifecycle, cdc, engine (or --flink) and web — until Ctrl-C, which stops all of it. A second run resumes.',
  flags: {
    port: { type: 'string', value: 'N', default: '3008', help: "the screen's port" },
    rate: { type: 'string', value: 'R', default: '2', help: 'simulated orders per second' },
    flink: {
      type: 'boolean',
      help: 'run the Flink job (livewall flink) instead of livewall engine',
    },
    fresh: { type: 'boolean', help: 'delete the state of earlier runs first' },
    'state-dir': {
      type: 'string',
      value: 'DIR',
      default: '.livewall/up',
      help: 'where the database, the streams, positions, checkpoints and logs live',
    },
    'kinesis-port': {
      type: 'string',
      value: 'N',
      default: '4567',
      help: "the local Kinesis's port (on 127.0.0.1)",
    },
    'mysql-port': {
      type: 'string',
      value: 'N',
      default: '3307',
      help: "the private MariaDB's port (on 127.0.0.1)",
    },
    'warehouse-port': {
      type: 'string',
      value: 'N',
      default: '5433',
      help: "the private PostgreSQL's port (on 127.0.0.1), when PostgreSQL is installed",
    },
  },
  env: [
    ['PATH', 'where mariadbd and mariadb-install-db are found (also /usr/sbin)'],
    ['JAVA_HOME', 'the JDK, with --flink'],
  ],
  examples: ['livewall up', 'livewall up --flink --rate 5 --port 8080'],
  notes: [
    "Needs Debian's mariadb-server (apt-get install mariadb-server) and the repository's node_modules (npm ci). Each part logs to <state-dir>/logs/<part>.log. Exit codes: 0 stopped by Ctrl-C, 1 a part could not start, 2 bad usage.",
  ],
} as const satisfies CommandSpec;

/** bin/livewall beside the built CLI (out/main/cli.js → ../../bin/livewall). */
const repoRoot = (): string => resolve(__dirname, '..', '..');

export async function up(args: string[]): Promise<number> {
  const { values } = parseCommand(UP, args);
  const port = numberOption(values.port, 'port', 1, 65535) ?? 3008;
  const rate = numberOption(values.rate, 'rate', 0.01, 10_000) ?? 2;
  const kinesisPort = numberOption(values['kinesis-port'], 'kinesis-port', 1, 65535) ?? 4567;
  const mysqlPort = numberOption(values['mysql-port'], 'mysql-port', 1, 65535) ?? 3307;
  const warehousePort = numberOption(values['warehouse-port'], 'warehouse-port', 1, 65535) ?? 5433;
  const state = resolve(values['state-dir'] ?? join('.livewall', 'up'));
  const shown = relative(process.cwd(), state) || '.';
  const say = (line: string): void => void process.stdout.write(`${NAME}: ${line}\n`);

  if (values.fresh && existsSync(state)) {
    if (!existsSync(join(state, MARK))) {
      throw new UsageError(`--fresh: ${shown} was not made by livewall up; delete it yourself`);
    }
    // The warehouse's files may live outside (see localPostgres.ts): they go too.
    const pgData = join(state, 'postgres', 'data-folder');
    if (existsSync(pgData)) {
      const outside = readFileSync(pgData, 'utf8').trim();
      if (/\/livewall-up-postgres-[0-9a-f]{16}$/.test(outside)) {
        rmSync(outside, { recursive: true, force: true });
      }
    }
    rmSync(state, { recursive: true, force: true });
    say(`deleted the state of earlier runs (${shown})`);
  }
  const logs = join(state, 'logs');
  mkdirSync(logs, { recursive: true });
  writeFileSync(join(state, MARK), 'made by livewall up; --fresh deletes this folder\n');
  const resumed = existsSync(join(state, 'mysql', 'data', 'mysql'));

  // Local stand-ins take any key; real AWS settings from the shell must not reach them.
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of Object.keys(env)) if (/^AWS_/.test(k)) delete env[k];
  Object.assign(env, {
    AWS_ACCESS_KEY_ID: 'livewall-up-local',
    AWS_SECRET_ACCESS_KEY: 'livewall-up-local',
    AWS_REGION: 'us-east-1',
  });
  delete env.LIVEWALL_CONFIG;

  const parts: Child[] = [];
  const stopAll = async (): Promise<void> => {
    // Orders stop first, then cdc (its position saved), the engine (its checkpoint), the screen,
    // and the databases last.
    for (const child of [...parts].reverse()) {
      await child.stop(
        child.name === 'mysql' || child.name === 'warehouse'
          ? 60_000
          : child.name === 'flink'
            ? 90_000
            : 30_000,
      );
    }
  };

  let stopping = false;
  try {
    const kinesis = await startLocalKinesis({
      root: repoRoot(),
      dataDir: join(state, 'kinesis'),
      port: kinesisPort,
      logs,
      env,
    });
    parts.push(kinesis.child);
    const endpoint = kinesis.endpoint;
    say(`kinesis on ${endpoint} (kinesalite; streams kept in ${shown}/kinesis)`);
    const made = await withEnv(env, () =>
      createStreams(createKinesisClient({ endpoint, region: 'us-east-1' }), PIPELINE_STREAMS, {
        shards: 1,
        target: `endpoint ${endpoint}`,
      }),
    );
    say(made.map((l) => l.replace(/^(\S+): /, '$1 ')).join(', '));

    const mysql = await startLocalMariaDB({
      dir: join(state, 'mysql'),
      port: mysqlPort,
      logs,
      env,
      say,
    });
    parts.push(mysql.child);
    say(
      `mysql on 127.0.0.1:${mysqlPort} (a private MariaDB, binlog ROW; database demo; accounts shop, maxwell, reader)`,
    );

    // The warehouse, when PostgreSQL is installed: `livewall load` fills it below.
    const pgBin = postgresBin();
    let warehouseUrl: string | null = null;
    if (pgBin) {
      const pg = await startLocalPostgres({
        bin: pgBin,
        dir: join(state, 'postgres'),
        port: warehousePort,
        logs,
        env,
        say,
      });
      parts.push(pg.child);
      warehouseUrl = pg.url;
      say(
        `warehouse on 127.0.0.1:${warehousePort} (a private PostgreSQL; database dev, account loader)`,
      );
    } else {
      say(
        'PostgreSQL is not installed (apt-get install postgresql): the warehouse step is left out',
      );
    }

    // The config the parts (and `health`, `tail`) read: where things are, no secret.
    const configFile = join(state, 'livewall.config.json');
    writeFileSync(
      configFile,
      `${JSON.stringify(
        {
          source: 'kinesis',
          stream: METRIC_DS,
          from: 'today',
          aws: { endpoint, region: 'us-east-1' },
          pipeline: {
            mysql: mysql.url('shop'),
            cdcMysql: mysql.url('maxwell'),
            customers: mysql.url('reader'),
            orderStream: ORDER_DS,
            metricStream: METRIC_DS,
            dwdStream: DWD_DS,
            ...(warehouseUrl ? { warehouse: warehouseUrl } : {}),
          },
        },
        null,
        2,
      )}\n`,
    );
    const bin = join(repoRoot(), 'bin', 'livewall');
    const run = (name: string, argv: string[]): Child => {
      const child = startChild(name, process.execPath, [bin, ...argv, '--config', configFile], {
        env,
        log: join(logs, `${name}.log`),
      });
      parts.push(child);
      void child.exited.then((code) => {
        if (!stopping) say(`${name} stopped by itself (${code}): ${lastLines(child.output())}`);
      });
      return child;
    };

    const cdc = run('cdc', [
      'cdc',
      '--mysql',
      mysql.url('maxwell'),
      '--stream',
      ORDER_DS,
      '--position-file',
      join(state, 'cdc-position.json'),
      ...(existsSync(join(state, 'cdc-position.json')) ? [] : ['--from-current']),
    ]);
    await untilReady(cdc, (out) => /livewall cdc: reading /.test(out), 60_000);
    say(`cdc reading the binlog into ${ORDER_DS} as maxwell`);

    const engineKind = values.flink ? 'flink' : 'engine';
    const engine = run(engineKind, [
      engineKind,
      '--source',
      ORDER_DS,
      '--metrics',
      METRIC_DS,
      '--dwd',
      DWD_DS,
      '--customers',
      mysql.url('reader'),
      '--state-dir',
      state,
    ]);
    await untilReady(
      engine,
      (out) =>
        values.flink
          ? /livewall-flink: job \S+ started/.test(out)
          : /livewall engine: reading /.test(out),
      values.flink ? 600_000 : 60_000,
    );
    say(`${engineKind} folding ${ORDER_DS} into ${METRIC_DS} and ${DWD_DS}, customers as reader`);

    run('simulate', [
      'simulate',
      '--mysql',
      mysql.url('shop'),
      '--orders',
      '0',
      '--rate',
      String(rate),
      '--lifecycle',
    ]);
    say(`simulate writing ${rate} orders/s as shop, each paid, shipped and finished later`);

    if (warehouseUrl) {
      const load = run('load', [
        'load',
        '--warehouse',
        warehouseUrl,
        '--dwd-stream',
        DWD_DS,
        '--create-table',
        '--buffer-interval',
        '5',
      ]);
      await untilReady(load, (out) => /livewall load: loading /.test(out), 60_000);
      say(`load writing ${DWD_DS} into customer_order as loader, one row per order`);
    }

    const web = run('web', ['web', '--port', String(port), '--host', '127.0.0.1']);
    await untilReady(web, (out) => /serving http/.test(out), 60_000);
    say(`open http://127.0.0.1:${port}`);
    say(
      `check it: AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local bin/livewall health --config ${relative(process.cwd(), configFile)}`,
    );
    say(
      `${resumed ? 'resumed the earlier run; ' : ''}logs in ${shown}/logs; Ctrl-C stops everything`,
    );
    await untilSignal();
    stopping = true;
    say('stopping');
    await stopAll();
    say('stopped');
    return 0;
  } catch (err) {
    stopping = true;
    await stopAll();
    throw err;
  }
}

/** Runs `fn` with the local stand-ins' environment (the SDK reads credentials from it). */
async function withEnv<T>(env: NodeJS.ProcessEnv, fn: () => Promise<T>): Promise<T> {
  const keys = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_PROFILE', 'AWS_SESSION_TOKEN'];
  const saved = Object.fromEntries(keys.map((k) => [k, process.env[k]]));
  for (const k of keys) {
    if (env[k] === undefined) delete process.env[k];
    else process.env[k] = env[k];
  }
  try {
    return await fn();
  } finally {
    for (const k of keys) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  }
}
