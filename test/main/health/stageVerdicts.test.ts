/**
 * Each stage's verdict from what its probes read, as tables: readings in, the check out (ok, the
 * sentence, the words a screen says it with, the age). No server: the probes are stood in for by
 * what they would have read.
 */
import { describe, expect, test } from 'vitest';
import type { HealthCheck } from '../../../src/shared/contracts';
import type { EngineAnnouncement } from '../../../src/shared/contracts';
import type { HopFigures } from '../../../src/shared/healthWords';
import type { FirehoseState, FlinkState } from '../../../src/main/health/awsRules';
import type { MySqlFreshness } from '../../../src/main/health/mysqlProbe';
import {
  cdcVerdict,
  dwdVerdict,
  engineVerdict,
  firehoseVerdict,
  metricDsVerdict,
  mysqlVerdict,
  orderDsVerdict,
  pipelineChecks,
  warehouseVerdict,
  type Readings,
  type Settled,
  type StageVerdict,
  type VerdictContext,
} from '../../../src/main/health/stageVerdicts';
import type { StreamFreshness, StreamItem } from '../../../src/main/health/streamProbe';
import type { WarehouseFreshness } from '../../../src/main/health/warehouseProbe';

const NOW = 1_800_000_000_000;
const CTX: VerdictContext = {
  mysql: { target: { host: '127.0.0.1', port: 3306, user: 'shop', database: 'demo', ssl: false } },
  orderStream: 'order_ds',
  metricStream: 'metric_ds',
  dwdStream: 'dwd',
  maxLagMs: 60_000,
  windowMs: 900_000,
  now: NOW,
};
const NONE: Readings = {
  mysql: null,
  orderDs: null,
  metricDs: null,
  dwd: null,
  warehouse: null,
  flink: null,
  firehose: null,
};
const read = (over: Partial<Readings>): Readings => ({ ...NONE, ...over });
const ok = <T>(value: T): Settled<T> => ({ ok: true, value });
const failed = (error: string): Settled<never> => ({ ok: false, error });

const fresh = (over: Partial<MySqlFreshness> = {}): MySqlFreshness => ({
  newestAgeMs: 4_000,
  binlog: 'mysql-bin.000003:1234',
  binlogReaders: 1,
  ...over,
});
/** A stream whose records arrived `ages` ms ago (items may carry more, e.g. their event time). */
const stream = (
  items: (number | StreamItem)[],
  over: Partial<StreamFreshness> = {},
): StreamFreshness => {
  const all = items.map((i) => (typeof i === 'number' ? { ageMs: i } : i));
  return {
    status: 'ACTIVE',
    shards: 2,
    newestAgeMs: all.reduce<number | null>(
      (m, i) => (m === null ? i.ageMs : Math.min(m, i.ageMs)),
      null,
    ),
    items: all,
    complete: true,
    calls: 4,
    ...over,
  };
};
const warehouse = (over: Partial<WarehouseFreshness> = {}): WarehouseFreshness => ({
  newestAgeMs: 3_000,
  newestTs: NOW - 3_000,
  rows: 10,
  description: 'customer_order at postgres://loader@wh/dev',
  loader: null,
  ...over,
});
const firehose = (over: Partial<FirehoseState> = {}): FirehoseState => ({
  name: 'dwd_to_rs',
  status: 'ACTIVE',
  failure: null,
  bufferSeconds: 60,
  redshift: null,
  figures: null,
  ...over,
});
const flink = (over: Partial<FlinkState> = {}): FlinkState => ({
  name: 'wall',
  status: 'RUNNING',
  vpc: null,
  ...over,
});
const named: EngineAnnouncement = {
  kind: 'engine',
  detail: 'Node 22.1.0 on wall',
  since: NOW - 5_000,
} as EngineAnnouncement;

const hop = (
  code: 'hop-ok' | 'hop-stalled',
  process: HopFigures['process'],
  from: string,
  to: string,
  figures: {
    waiting?: number;
    atLeast?: boolean;
    oldestAgeMs?: number | null;
    allowedMs?: number;
    downstreamAgeMs: number | null;
  },
) => ({
  code,
  process,
  from,
  to,
  waiting: figures.waiting ?? 0,
  atLeast: figures.atLeast ?? false,
  oldestAgeMs: figures.oldestAgeMs ?? null,
  allowedMs: figures.allowedMs ?? 60_000,
  downstreamAgeMs: figures.downstreamAgeMs,
  windowMs: 900_000,
});

const CDC_REMEDY =
  "start `livewall cdc` or check Maxwell's log; if it says 'Could not find first log file name', its position was purged: start from the current position (`livewall cdc --from-current`, or delete Maxwell's stored position)";
const ENGINE_REMEDY =
  'start `livewall engine` (or `livewall flink`) and check its log; a Managed Flink application must be RUNNING and, inside a VPC, needs a route to Kinesis (a NAT gateway or a Kinesis VPC endpoint)';
const FIREHOSE_REMEDY =
  "check the delivery stream's last error; a Redshift destination must be publicly accessible (or reachable from Firehose) and its COPY must succeed";
const NOT_NAMED =
  "no engine has named itself on metric_ds (livewall engine and livewall flink tag the stream when they start; the workshop's job does not)";

type Row = [string, VerdictContext, Readings, HealthCheck | null];

function table(verdict: StageVerdict, rows: Row[]): void {
  test.each(rows)('%s', (_name, ctx, readings, want) => {
    expect(verdict(ctx, readings)).toEqual(want);
  });
}

describe('mysql', () => {
  table(mysqlVerdict, [
    ['not configured', { ...CTX, mysql: undefined }, read({ mysql: ok({ fresh: fresh() }) }), null],
    [
      'fresh, with the binlog position',
      CTX,
      read({ mysql: ok({ fresh: fresh() }) }),
      {
        stage: 'mysql',
        ok: true,
        detail:
          'shop@127.0.0.1:3306/demo: the newest change 4 s ago, binlog at mysql-bin.000003:1234',
        ageMs: 4_000,
        words: { code: 'mysql-fresh', newestAgeMs: 4_000 },
      },
    ],
    [
      'an empty table, no binlog to see',
      CTX,
      read({ mysql: ok({ fresh: fresh({ newestAgeMs: null, binlog: null }) }) }),
      {
        stage: 'mysql',
        ok: true,
        detail: 'shop@127.0.0.1:3306/demo: the order table is empty',
        words: { code: 'mysql-fresh', newestAgeMs: null },
      },
    ],
    [
      'no answer: its sentence',
      CTX,
      read({ mysql: failed('MySQL: no answer within 15 s') }),
      { stage: 'mysql', ok: false, detail: 'MySQL: no answer within 15 s' },
    ],
  ]);
});

describe('cdc', () => {
  table(cdcVerdict, [
    [
      'no order stream named',
      { ...CTX, orderStream: undefined },
      read({ mysql: ok({ fresh: fresh() }) }),
      null,
    ],
    [
      'MySQL silent: cannot tell',
      CTX,
      read({ mysql: failed('refused'), orderDs: ok(stream([4_000])) }),
      {
        stage: 'cdc',
        ok: false,
        detail: 'cannot tell whether cdc keeps up: MySQL did not answer (see its line)',
        words: { code: 'cannot-tell', process: 'cdc', silent: 'MySQL' },
      },
    ],
    [
      'order_ds silent: cannot tell',
      CTX,
      read({ mysql: ok({ fresh: fresh() }), orderDs: failed('throttled') }),
      {
        stage: 'cdc',
        ok: false,
        detail: 'cannot tell whether cdc keeps up: order_ds did not answer (see its line)',
        words: { code: 'cannot-tell', process: 'cdc', silent: 'order_ds' },
      },
    ],
    [
      'nothing waiting, one binlog reader',
      CTX,
      read({ mysql: ok({ fresh: fresh(), pending: null }), orderDs: ok(stream([4_000])) }),
      {
        stage: 'cdc',
        ok: true,
        detail:
          "MySQL demo.order → order_ds: nothing waiting; order_ds's newest is 4 s old (1 binlog reader(s) connected)",
        words: hop('hop-ok', 'cdc', 'MySQL demo.order', 'order_ds', { downstreamAgeMs: 4_000 }),
      },
    ],
    [
      'in flight, readers unknown (no PROCESS)',
      CTX,
      read({
        mysql: ok({
          fresh: fresh({ binlogReaders: null }),
          pending: { count: 2, oldestAgeMs: 5_000, atLeast: true },
        }),
        orderDs: ok(stream([4_000])),
      }),
      {
        stage: 'cdc',
        ok: true,
        detail:
          "MySQL demo.order → order_ds: at least 2 changes in flight, the oldest 5 s old (60 s allowed); order_ds's newest is 4 s old; whether a client reads the binlog cannot be told (the account lacks PROCESS)",
        words: hop('hop-ok', 'cdc', 'MySQL demo.order', 'order_ds', {
          waiting: 2,
          atLeast: true,
          oldestAgeMs: 5_000,
          downstreamAgeMs: 4_000,
        }),
      },
    ],
    [
      'stalled with nobody reading the binlog: 10 s allowed, not the minute',
      CTX,
      read({
        mysql: ok({
          fresh: fresh({ binlogReaders: 0 }),
          pending: { count: 3, oldestAgeMs: 45_000 },
        }),
        orderDs: ok(stream([120_000])),
      }),
      {
        stage: 'cdc',
        ok: false,
        detail: `cdc (Maxwell) has shipped nothing to order_ds for 2 min while MySQL demo.order took 3 changes (the oldest waiting 45 s, 10 s allowed); no client reads the binlog now: ${CDC_REMEDY}.`,
        words: hop('hop-stalled', 'cdc', 'MySQL demo.order', 'order_ds', {
          waiting: 3,
          oldestAgeMs: 45_000,
          allowedMs: 10_000,
          downstreamAgeMs: 120_000,
        }),
      },
    ],
  ]);
});

describe('the streams', () => {
  table(orderDsVerdict, [
    [
      'order_ds read to its tip',
      CTX,
      read({ orderDs: ok(stream([4_000, 9_000])) }),
      {
        stage: 'order_ds',
        ok: true,
        detail: 'order_ds: ACTIVE, 2 shard(s), the newest record 4 s old',
        ageMs: 4_000,
        words: {
          code: 'stream-fresh',
          stream: 'order_ds',
          shards: 2,
          newestAgeMs: 4_000,
          windowMs: 900_000,
        },
      },
    ],
    ['not named', { ...CTX, orderStream: undefined }, read({ orderDs: ok(stream([1])) }), null],
  ]);
  table(metricDsVerdict, [
    [
      'metric_ds not read to its tip: the newest may be newer',
      CTX,
      read({ metricDs: ok(stream([4_000], { complete: false })) }),
      {
        stage: 'metric_ds',
        ok: true,
        detail: 'metric_ds: ACTIVE, 2 shard(s), the newest record 4 s old or newer',
        ageMs: 4_000,
        words: {
          code: 'stream-fresh',
          stream: 'metric_ds',
          shards: 2,
          newestAgeMs: 4_000,
          windowMs: 900_000,
        },
      },
    ],
  ]);
  table(dwdVerdict, [
    [
      'dwd quiet within the window',
      CTX,
      read({ dwd: ok(stream([])) }),
      {
        stage: 'dwd',
        ok: true,
        detail: 'dwd: ACTIVE, 2 shard(s), no record in the last 15 min',
        words: {
          code: 'stream-fresh',
          stream: 'dwd',
          shards: 2,
          newestAgeMs: null,
          windowMs: 900_000,
        },
      },
    ],
    [
      'dwd not active: its sentence',
      CTX,
      read({ dwd: failed('Stream "dwd" is DELETING: wait until it is ACTIVE.') }),
      { stage: 'dwd', ok: false, detail: 'Stream "dwd" is DELETING: wait until it is ACTIVE.' },
    ],
    ['no reading', CTX, NONE, null],
  ]);
});

describe('the engine', () => {
  const oneOutput = { ...CTX, dwdStream: undefined };
  const keepingUp = read({ orderDs: ok(stream([4_000, 9_000])), metricDs: ok(stream([2_000])) });
  const keptUpDetail = "order_ds → metric_ds: nothing waiting; metric_ds's newest is 2 s old";
  table(engineVerdict, [
    ['nothing to judge it by', CTX, NONE, null],
    [
      'keeps up on its one output: worded by that hop',
      oneOutput,
      keepingUp,
      {
        stage: 'engine',
        ok: true,
        detail: keptUpDetail,
        words: hop('hop-ok', 'engine', 'order_ds', 'metric_ds', { downstreamAgeMs: 2_000 }),
      },
    ],
    [
      'dwd stalled, metric_ds fine: named engine first, then the stalled hop alone',
      CTX,
      read({
        orderDs: ok(stream([4_000, 90_000, 200_000])),
        metricDs: ok(stream([2_000])),
        dwd: ok(stream([300_000])),
        engineNamed: named,
      }),
      {
        stage: 'engine',
        ok: false,
        detail: `metric_ds is written by livewall engine: Node 22.1.0 on wall, started 5 s ago; the engine has written nothing to dwd for 5 min while order_ds took 3 changes (the oldest waiting 3 min, 60 s allowed): ${ENGINE_REMEDY}.`,
        words: hop('hop-stalled', 'engine', 'order_ds', 'dwd', {
          waiting: 3,
          oldestAgeMs: 200_000,
          downstreamAgeMs: 300_000,
        }),
      },
    ],
    [
      'order_ds silent: cannot tell, worded so',
      oneOutput,
      read({ orderDs: failed('throttled'), metricDs: ok(stream([2_000])) }),
      {
        stage: 'engine',
        ok: false,
        detail: 'cannot tell whether the engine keeps up: order_ds did not answer (see its line)',
        words: { code: 'cannot-tell', process: 'engine', silent: 'order_ds' },
      },
    ],
    [
      'no engine named itself, and metric_ds silent: two things said, no one word',
      oneOutput,
      read({ orderDs: ok(stream([4_000])), metricDs: failed('throttled'), engineNamed: null }),
      {
        stage: 'engine',
        ok: false,
        detail: `${NOT_NAMED}; cannot tell whether the engine keeps up: metric_ds did not answer (see its line)`,
      },
    ],
    [
      'Managed Flink not RUNNING fails the stage whatever the streams say',
      oneOutput,
      { ...keepingUp, flink: ok({ app: flink({ status: 'READY' }), figures: null }) },
      {
        stage: 'engine',
        ok: false,
        detail: `the Managed Flink application "wall" is READY, not RUNNING: start it (console or \`aws kinesisanalyticsv2 start-application\`) and check its CloudWatch log for why it stopped; ${keptUpDetail}`,
      },
    ],
    [
      'Managed Flink RUNNING, with CloudWatch figures',
      oneOutput,
      {
        ...keepingUp,
        flink: ok({
          app: flink(),
          figures: { iteratorAgeMs: 180_000, incoming: { metric_ds: 1200 } },
        }),
      },
      {
        stage: 'engine',
        ok: true,
        detail: `the Managed Flink application "wall" is RUNNING; CloudWatch, last 15 min: order_ds read up to 180 s behind its newest record; metric_ds took 1200 records; ${keptUpDetail}`,
      },
    ],
    [
      'Managed Flink did not answer: its sentence',
      { ...CTX, orderStream: undefined },
      read({ flink: failed('Managed Service for Apache Flink has no application "wall"') }),
      {
        stage: 'engine',
        ok: false,
        detail: 'Managed Service for Apache Flink has no application "wall"',
      },
    ],
  ]);
});

describe('firehose (the dwd → warehouse hop)', () => {
  const noFirehose = { ...CTX };
  table(firehoseVerdict, [
    ['neither Firehose nor the warehouse', CTX, read({ dwd: ok(stream([1])) }), null],
    [
      'ACTIVE, and the warehouse holds the newest event',
      CTX,
      read({
        firehose: ok(firehose()),
        dwd: ok(stream([{ ageMs: 4_000, eventMs: NOW - 4_000 }])),
        warehouse: ok(warehouse()),
      }),
      {
        stage: 'firehose',
        ok: true,
        detail:
          'Firehose "dwd_to_rs" is ACTIVE, buffering 60 s; dwd → the warehouse: nothing waiting; the warehouse\'s newest is 3 s old',
      },
    ],
    [
      'rows older than maxLag + 5 min of buffer not in the warehouse: stalled',
      noFirehose,
      read({
        dwd: ok(stream([{ ageMs: 400_000, eventMs: NOW - 400_000 }])),
        warehouse: ok(warehouse({ newestAgeMs: 600_000, newestTs: NOW - 600_000 })),
      }),
      {
        stage: 'firehose',
        ok: false,
        detail: `Firehose has delivered nothing to the warehouse for 10 min while dwd took 1 rows (the oldest waiting 7 min, 6 min allowed): ${FIREHOSE_REMEDY}.`,
        words: hop('hop-stalled', 'firehose', 'dwd', 'warehouse', {
          waiting: 1,
          oldestAgeMs: 400_000,
          allowedMs: 360_000,
          downstreamAgeMs: 600_000,
        }),
      },
    ],
    [
      'livewall load: judged by the arrival it committed, its grace 60 s',
      noFirehose,
      read({
        dwd: ok(
          stream([
            { ageMs: 30_000, arrivalMs: NOW - 30_000 },
            { ageMs: 80_000, arrivalMs: NOW - 80_000 },
          ]),
        ),
        warehouse: ok(
          warehouse({ loader: { newestArrivalMs: NOW - 50_000, committedAtMs: NOW - 40_000 } }),
        ),
      }),
      {
        stage: 'load',
        ok: true,
        detail:
          "dwd → the warehouse: 1 rows in flight, the oldest 30 s old (2 min allowed); the warehouse's newest is 50 s old",
        words: hop('hop-ok', 'load', 'dwd', 'warehouse', {
          waiting: 1,
          oldestAgeMs: 30_000,
          allowedMs: 120_000,
          downstreamAgeMs: 50_000,
        }),
      },
    ],
    [
      'livewall load stalled: named as itself, on a line of its own (no Firehose is there)',
      { ...noFirehose, loaderGraceMs: 0 },
      read({
        dwd: ok(stream([{ ageMs: 80_000, arrivalMs: NOW - 80_000 }])),
        warehouse: ok(
          warehouse({ loader: { newestArrivalMs: NOW - 120_000, committedAtMs: NOW - 120_000 } }),
        ),
      }),
      {
        stage: 'load',
        ok: false,
        detail:
          'livewall load has committed nothing to the warehouse for 2 min while dwd took 1 rows (the oldest waiting 80 s, 60 s allowed): start `livewall load` (or read its log: it says when the warehouse is away or refuses a row).',
        words: hop('hop-stalled', 'load', 'dwd', 'warehouse', {
          waiting: 1,
          oldestAgeMs: 80_000,
          downstreamAgeMs: 120_000,
        }),
      },
    ],
    [
      'dwd silent: cannot tell',
      noFirehose,
      read({ dwd: failed('throttled'), warehouse: ok(warehouse()) }),
      {
        stage: 'firehose',
        ok: false,
        detail: 'cannot tell whether the warehouse keeps up: dwd did not answer (see its line)',
        words: { code: 'cannot-tell', process: 'firehose', silent: 'dwd' },
      },
    ],
    [
      'dwd silent where livewall load fills the warehouse: the loader cannot be told',
      noFirehose,
      read({
        dwd: failed('throttled'),
        warehouse: ok(
          warehouse({ loader: { newestArrivalMs: NOW - 50_000, committedAtMs: NOW - 40_000 } }),
        ),
      }),
      {
        stage: 'load',
        ok: false,
        detail: 'cannot tell whether the warehouse keeps up: dwd did not answer (see its line)',
        words: { code: 'cannot-tell', process: 'load', silent: 'dwd' },
      },
    ],
    [
      'Firehose failed to create: its failure and the remedy',
      CTX,
      read({ firehose: ok(firehose({ status: 'CREATING_FAILED', failure: 'error: bad role' })) }),
      {
        stage: 'firehose',
        ok: false,
        detail:
          'Firehose "dwd_to_rs" is CREATING_FAILED (error: bad role): wait until it is ACTIVE, or fix the error and create it again',
      },
    ],
    [
      'Firehose did not answer: its sentence',
      CTX,
      read({ firehose: failed('Firehose has no delivery stream "dwd_to_rs"') }),
      { stage: 'firehose', ok: false, detail: 'Firehose has no delivery stream "dwd_to_rs"' },
    ],
  ]);
});

describe('the warehouse', () => {
  table(warehouseVerdict, [
    ['not configured', CTX, NONE, null],
    [
      'rows, the newest aged',
      CTX,
      read({ warehouse: ok(warehouse({ rows: 1200, newestAgeMs: 7_200_000 })) }),
      {
        stage: 'warehouse',
        ok: true,
        detail:
          'customer_order at postgres://loader@wh/dev: 1200 row(s), the newest changed 2 h ago',
        ageMs: 7_200_000,
        words: { code: 'warehouse-fresh', rows: 1200, newestAgeMs: 7_200_000 },
      },
    ],
    [
      'empty',
      CTX,
      read({ warehouse: ok(warehouse({ rows: 0, newestAgeMs: null, newestTs: null })) }),
      {
        stage: 'warehouse',
        ok: true,
        detail: 'customer_order at postgres://loader@wh/dev: 0 row(s), none yet',
        words: { code: 'warehouse-fresh', rows: 0, newestAgeMs: null },
      },
    ],
    [
      'missing table: its sentence',
      CTX,
      read({
        warehouse: failed('customer_order at postgres://loader@wh/dev: the table does not exist'),
      }),
      {
        stage: 'warehouse',
        ok: false,
        detail: 'customer_order at postgres://loader@wh/dev: the table does not exist',
      },
    ],
  ]);
});

test('every configured stage has its one check, in the order they are listed', () => {
  const checks = pipelineChecks(
    CTX,
    read({
      mysql: ok({ fresh: fresh(), pending: null }),
      orderDs: ok(stream([4_000])),
      metricDs: ok(stream([2_000])),
      dwd: ok(stream([2_000])),
      warehouse: ok(warehouse()),
      firehose: ok(firehose()),
    }),
  );
  expect(checks.map((c) => [c.stage, c.ok])).toEqual([
    ['mysql', true],
    ['cdc', true],
    ['order_ds', true],
    ['metric_ds', true],
    ['dwd', true],
    ['engine', true],
    ['firehose', true],
    ['warehouse', true],
  ]);
});
