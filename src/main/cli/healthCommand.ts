/**
 * `livewall health [--json] [--trace]`: probes every configured stage of the pipeline and says
 * which one is stuck, since when, and what to do. Exit 0 when every check passes, 1 when one
 * fails, 2 on bad configuration.
 * Stages: the embedded pipeline (source embedded), the screen's stream (source kinesis) and
 * --streams, MySQL (--mysql, or the config's pipeline.mysql or mysql.url), cdc, order_ds, the
 * engine, metric_ds, dwd, Firehose, the warehouse (the pipeline flags or the config's `pipeline`
 * block), and the customer dimension (--customers).
 */
import { createKinesisClient } from '../kinesis/kinesisClient';
import { describeTarget, kinesisSettings } from '../kinesis/settings';
import { embeddedSelfTest } from '../app/embeddedSelfTest';
import { runHealth, type HealthPlan } from '../health/runHealth';
import { pipelinePlan } from '../health/plan';
import { formatAge } from '../health/lagRules';
import { createMySqlConnector } from '../mysql/connect';
import { cliPasswordSources } from '../mysql/ttyPassword';
import type { AccountRole, PasswordSource } from '../mysql/password';
import type { AwsSettings } from '../kinesis/settings';
import {
  awsFlags,
  checkStreamName,
  AWS_ENV,
  COMMON_FLAGS,
  commonConfig,
  customerDirectory,
  mysqlOption,
  UsageError,
} from './common';
import { PIPELINE_FLAGS, pipelineSettings } from './pipelineFlags';
import { parseCommand, type CommandSpec } from './usage';
import { runTrace } from '../health/trace';

export const HEALTH = {
  name: 'health',
  brief: 'which stage of the pipeline is stuck, and what to do',
  summary:
    'Probe every configured stage of the pipeline and the lag of every hop; say which stage is stuck, since when, and what to do.',
  flags: {
    json: { type: 'boolean', help: 'print the checks as one JSON array' },
    trace: {
      type: 'boolean',
      help: 'insert one marked order and follow it through every hop (needs --mysql)',
    },
    streams: {
      type: 'string',
      value: 'A,B',
      help: 'more Kinesis streams to check for existence and freshness',
    },
    ...PIPELINE_FLAGS,
    ...COMMON_FLAGS,
  },
  env: [
    ...AWS_ENV,
    ['LIVEWALL_MYSQL_PASSWORD', "the --mysql account's password"],
    ['LIVEWALL_CUSTOMERS_PASSWORD', "the --customers account's password"],
    ['LIVEWALL_WAREHOUSE_PASSWORD', "the --warehouse account's password"],
    ['MYSQL_PWD, PGPASSWORD', "each client's own password variable, when the above is unset"],
  ],
  examples: [
    'livewall health',
    'livewall health --mysql mysql://shop@127.0.0.1:3306/demo --order-stream order_ds --metric-stream metric_ds --endpoint http://127.0.0.1:4567',
  ],
  notes: ['Exit codes: 0 every check passes, 1 one fails, 2 bad usage or configuration.'],
} as const satisfies CommandSpec;

export async function health(args: string[]): Promise<number> {
  const { values } = parseCommand(HEALTH, args);
  const config = commonConfig('health', values);
  const pipeline = pipelineSettings(values, config.pipeline);
  const plan: HealthPlan = {};
  if (config.source === 'embedded') plan.embedded = () => embeddedSelfTest(config.timeZone);
  const piped = new Set(
    [pipeline.orderStream, pipeline.metricStream, pipeline.dwdStream].filter(Boolean),
  );
  const streams = [
    ...(config.source === 'kinesis' ? [config.stream] : []),
    ...(values.streams
      ? values.streams
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : []),
  ].filter((s) => !piped.has(s)); // a pipeline stream has its own stage, with its freshness
  for (const s of streams) checkStreamName(s);
  const settings = kinesisSettings(awsFlags(values), process.env, config.aws);
  if (streams.length > 0) {
    plan.kinesis = {
      client: createKinesisClient(settings),
      target: describeTarget(settings),
      streams: [...new Set(streams)],
    };
  }
  const warn = (m: string): void => void process.stderr.write(`livewall health: ${m}\n`);
  // Each account's password: its variable, the secret named for it, its client's own.
  const secretOf = (role: AccountRole): { secretId?: string | undefined; aws: AwsSettings } => ({
    secretId: pipeline[`${role}SecretId`],
    aws: settings,
  });
  const passwords = (role: AccountRole): PasswordSource[] =>
    cliPasswordSources(role, secretOf(role));
  const mysqlUrl = pipeline.mysql ?? config.mysql?.url;
  if (mysqlUrl) {
    const target = mysqlOption(mysqlUrl, 'shop', warn);
    if (!target.ok) throw new UsageError(target.error);
    plan.mysql = {
      target: target.value,
      connector: () => createMySqlConnector(target.value, { passwords: passwords('mysql') }),
    };
    if (pipeline.cdcMysql) {
      const cdc = mysqlOption(pipeline.cdcMysql, 'maxwell', warn, 'cdc');
      if (!cdc.ok) throw new UsageError(cdc.error);
      plan.mysql.cdc = {
        target: cdc.value,
        connector: () =>
          createMySqlConnector(cdc.value, { passwords: passwords('cdc'), selectDatabase: false }),
      };
    }
  }
  const customers = pipeline.customers;
  if (customers) plan.customers = () => customerDirectory(customers, warn, secretOf('customers'));
  const pipe = pipelinePlan(
    { ...pipeline, ...(mysqlUrl ? { mysql: mysqlUrl } : {}) },
    { kinesis: settings, passwords },
  );
  if (!pipe.ok) throw new UsageError(pipe.error);
  if (pipe.value) plan.pipeline = pipe.value;

  if (values.trace) {
    if (!plan.mysql) throw new UsageError('--trace needs --mysql (it inserts one marked order)');
    const hops = await runTrace({
      mysql: plan.mysql,
      ...(pipe.value ?? { maxLagMs: 60_000 }),
      onHop: values.json
        ? undefined
        : (h) => process.stdout.write(`${h.ok ? 'ok  ' : 'FAIL'}  trace ${h.stage}: ${h.detail}\n`),
    });
    if (values.json) process.stdout.write(`${JSON.stringify(hops)}\n`);
    return hops.every((h) => h.ok) ? 0 : 1;
  }

  const checks = await runHealth(plan);
  const ok = checks.every((c) => c.ok);
  if (values.json) {
    process.stdout.write(`${JSON.stringify(checks)}\n`);
  } else {
    for (const c of checks)
      process.stdout.write(
        `${c.ok ? 'ok  ' : 'FAIL'}  ${c.stage}: ${c.detail}${c.ageMs !== undefined && !c.detail.includes(' old') && !c.detail.includes(' ago') ? ` (newest ${formatAge(c.ageMs)} old)` : ''}\n`,
      );
    if (checks.length === 0) process.stdout.write('nothing is configured to check\n');
  }
  return ok ? 0 : 1;
}
