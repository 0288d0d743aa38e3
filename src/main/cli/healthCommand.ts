/**
 * `livewall health [--json]`: probes every configured stage and says which one is broken and
 * what to do. Exit 0 when every check passes, 1 when one fails, 2 on bad configuration.
 * Stages: the embedded pipeline (source embedded), the Kinesis streams (source kinesis's stream,
 * plus --streams), the MySQL of bursts and cdc (--mysql or the config's mysql.url), and the
 * customer dimension (--customers).
 */
import { parseArgs } from 'node:util';
import { createKinesisClient } from '../kinesis/kinesisClient';
import { describeTarget, kinesisSettings } from '../kinesis/settings';
import { runHealth, type HealthPlan } from '../app/health';
import { createMySqlConnector } from '../mysql/connect';
import { cliPasswordSources } from '../mysql/ttyPassword';
import {
  awsFlags,
  COMMON_OPTIONS,
  commonConfig,
  customerDirectory,
  mysqlOption,
  UsageError,
} from './common';

const STREAM = /^[a-zA-Z0-9_.-]{1,128}$/;

export async function health(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      ...COMMON_OPTIONS,
      json: { type: 'boolean' },
      streams: { type: 'string' },
      mysql: { type: 'string' },
      customers: { type: 'string' },
    },
  });
  const config = commonConfig(values);
  const plan: HealthPlan = {};
  if (config.source === 'embedded') plan.embedded = { timeZone: config.timeZone };
  const streams = [
    ...(config.source === 'kinesis' ? [config.stream] : []),
    ...(values.streams
      ? values.streams
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : []),
  ];
  for (const s of streams)
    if (!STREAM.test(s)) throw new UsageError(`"${s}" is not a Kinesis stream name`);
  if (streams.length > 0) {
    const settings = kinesisSettings(awsFlags(values), process.env, config.aws);
    plan.kinesis = {
      client: createKinesisClient(settings),
      target: describeTarget(settings),
      streams: [...new Set(streams)],
    };
  }
  const mysqlUrl = values.mysql ?? config.mysql?.url;
  if (mysqlUrl) {
    const target = mysqlOption(mysqlUrl, 'shop', (m) =>
      process.stderr.write(`livewall health: ${m}\n`),
    );
    if (!target.ok) throw new UsageError(target.error);
    plan.mysql = {
      target: target.value,
      connector: () => createMySqlConnector(target.value, { passwords: cliPasswordSources() }),
    };
  }
  const customers = values.customers;
  if (customers)
    plan.customers = () =>
      customerDirectory(customers, (m) => process.stderr.write(`livewall health: ${m}\n`));

  const checks = await runHealth(plan);
  const ok = checks.every((c) => c.ok);
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ ok, checks })}\n`);
  } else {
    for (const c of checks)
      process.stdout.write(`${c.ok ? 'ok  ' : 'FAIL'}  ${c.stage}: ${c.detail}\n`);
    if (checks.length === 0) process.stdout.write('nothing is configured to check\n');
  }
  return ok ? 0 : 1;
}
