/**
 * `livewall health [--json] [--trace]`: probes every configured stage of the pipeline and says
 * which one is stuck, since when, and what to do. Exit 0 when every check passes, 1 when one
 * fails, 2 on bad configuration.
 * Stages: the embedded pipeline (source embedded), the screen's stream (source kinesis) and
 * --streams, MySQL (--mysql, or the config's pipeline.mysql or mysql.url), cdc, order_ds, the
 * engine, metric_ds, dwd, Firehose, the warehouse (the pipeline flags or the config's `pipeline`
 * block), and the customer dimension (--customers).
 */
import { parseArgs } from 'node:util';
import { createKinesisClient } from '../kinesis/kinesisClient';
import { describeTarget, kinesisSettings } from '../kinesis/settings';
import { runHealth, type HealthPlan } from '../app/health';
import { pipelinePlan } from '../app/health/plan';
import { formatAge } from '../app/health/lagRules';
import { createMySqlConnector } from '../mysql/connect';
import { cliPasswordSources } from '../mysql/ttyPassword';
import {
  awsFlags,
  checkStreamName,
  COMMON_OPTIONS,
  commonConfig,
  customerDirectory,
  mysqlOption,
  UsageError,
} from './common';
import { PIPELINE_OPTIONS, pipelineSettings } from './pipelineFlags';
import { runTrace } from '../app/health/trace';

export async function health(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      ...COMMON_OPTIONS,
      ...PIPELINE_OPTIONS,
      json: { type: 'boolean' },
      trace: { type: 'boolean' },
      streams: { type: 'string' },
    },
  });
  const config = commonConfig(values);
  const pipeline = pipelineSettings(values, config.pipeline);
  const plan: HealthPlan = {};
  if (config.source === 'embedded') plan.embedded = { timeZone: config.timeZone };
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
  const mysqlUrl = pipeline.mysql ?? config.mysql?.url;
  if (mysqlUrl) {
    const target = mysqlOption(mysqlUrl, 'shop', warn);
    if (!target.ok) throw new UsageError(target.error);
    plan.mysql = {
      target: target.value,
      connector: () => createMySqlConnector(target.value, { passwords: cliPasswordSources() }),
    };
  }
  const customers = pipeline.customers;
  if (customers) plan.customers = () => customerDirectory(customers, warn);
  const pipe = pipelinePlan(
    { ...pipeline, ...(mysqlUrl ? { mysql: mysqlUrl } : {}) },
    { kinesis: settings, passwords: cliPasswordSources },
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
