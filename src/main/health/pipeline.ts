/**
 * One probe run over the configured pipeline: every data stage's freshness at once (each probe
 * bounded in time), then the verdict on each stage from what they read (stageVerdicts.ts), as one
 * check per stage. A quiet pipeline passes; a stuck one names the process between.
 */
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import type { HealthCheck } from '@shared/contracts';
import { describeAwsError } from '../kinesis/awsErrors';
import { readEngineTags } from '../kinesis/engineTags';
import type { MySqlConnector } from '../mysql/connect';
import { describeMySqlError } from '../mysql/errors';
import type { PasswordSource } from '../mysql/password';
import { urlWithPassword } from '../mysql/secretPassword';
import type { MySqlTarget } from '../mysql/target';
import type { AwsClients } from './awsClients';
import { describeFirehose, describeFlink, streamFigures } from './awsProbes';
import { describeServiceError, type FlinkState, type StreamFigures } from './awsRules';
import type { Pending } from './lagRules';
import { mysqlFreshness, mysqlPending, shippedOf, type MySqlFreshness } from './mysqlProbe';
import { pipelineChecks, type Readings, type Settled } from './stageVerdicts';
import { probeStream, StreamNotActive, type StreamFreshness } from './streamProbe';
import { warehouseFreshness, WarehouseMissing } from './warehouseProbe';

export interface PipelinePlan {
  /** How long data may wait at a hop before the process between is blamed (default 60 s). */
  maxLagMs: number;
  /** How far back the probes look (default the larger of 15 min and 3 × maxLag). */
  windowMs?: number;
  /** The longest one run may take (default 15 s). */
  timeoutMs?: number;
  mysql?: { target: MySqlTarget; connector: () => Promise<MySqlConnector> };
  kinesis?: { client: Pick<KinesisClient, 'send'>; target: string };
  orderStream?: string;
  metricStream?: string;
  dwdStream?: string;
  flinkApplication?: string;
  firehose?: string;
  aws?: AwsClients;
  /** postgres:// or redshift:// URL of the database holding customer_order. */
  warehouse?: string;
  /** Where the warehouse account's password comes from (else PGPASSWORD, ~/.pgpass). */
  warehousePasswords?: () => PasswordSource[];
  /** Added to maxLag on the hop `livewall load` moves (default 60 s, its buffer interval). */
  loaderGraceMs?: number;
}

async function settle<T>(
  run: () => Promise<T>,
  describe: (e: unknown) => string,
): Promise<Settled<T>> {
  try {
    return { ok: true, value: await run() };
  } catch (err) {
    return { ok: false, error: describe(err) };
  }
}

/** Rejects after `ms` with a sentence, so a hung probe cannot hold the run. */
function bounded<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms / 1000} s`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

const isSentence = (e: unknown): boolean =>
  e instanceof StreamNotActive ||
  e instanceof WarehouseMissing ||
  /no answer within/.test(String((e as Error)?.message));

/** The checks of the configured stages, in flow order (the caller merges and sorts). */
export async function runPipeline(plan: PipelinePlan): Promise<HealthCheck[]> {
  const maxLagMs = plan.maxLagMs;
  const windowMs = plan.windowMs ?? Math.max(900_000, 3 * maxLagMs);
  const timeoutMs = plan.timeoutMs ?? 15_000;
  const abort = new AbortController();
  const signal = abort.signal;
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  try {
    const readings = await launchProbes(plan, windowMs, timeoutMs, signal);
    return pipelineChecks({ ...plan, maxLagMs, windowMs, now: Date.now() }, readings);
  } finally {
    clearTimeout(timer);
  }
}

/** Every configured probe at once, each bounded in time and settled: what they read, or why not. */
async function launchProbes(
  plan: PipelinePlan,
  windowMs: number,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<Readings> {
  /** One probe: bounded in time; its failure as a sentence, its own when it carries one. */
  const launch = <T>(
    what: string,
    run: () => Promise<T>,
    describe: (e: unknown) => string,
  ): Promise<Settled<T>> =>
    settle(
      () => bounded(run(), timeoutMs, what),
      (e) => (isSentence(e) ? (e as Error).message : describe(e)),
    );
  const kinesis = plan.kinesis;
  const stream = (name: string | undefined): Promise<Settled<StreamFreshness>> | null =>
    name && kinesis
      ? launch(
          `stream ${name}`,
          () => probeStream(kinesis.client, name, { windowMs, signal }),
          (e) => describeAwsError(e, { stream: name, target: kinesis.target }).sentence,
        )
      : null;
  const orderDs = stream(plan.orderStream);
  const metricDs = stream(plan.metricStream);
  // Which engine fills metric_ds, as it named itself (engineTags.ts); unknown is no failure.
  const metricName = plan.metricStream;
  const engineNamed =
    metricName && kinesis
      ? bounded(readEngineTags(kinesis.client, metricName, signal), timeoutMs, 'tags').catch(
          () => undefined,
        )
      : undefined;
  const dwd = stream(plan.dwdStream);
  const warehouseUrl = plan.warehouse;
  const warehouse = warehouseUrl
    ? launch(
        'the warehouse',
        () =>
          urlWithPassword(warehouseUrl, plan.warehousePasswords?.() ?? []).then((url) =>
            warehouseFreshness(url, timeoutMs),
          ),
        (e) => `the warehouse did not answer: ${String((e as Error)?.message ?? e).split('\n')[0]}`,
      )
    : null;
  const aws = plan.aws;
  const flinkName = plan.flinkApplication;
  const flink =
    flinkName && aws
      ? launch(
          'Managed Flink',
          () => readFlink(plan, aws, flinkName, signal),
          (e) =>
            describeServiceError(
              e,
              'Managed Service for Apache Flink',
              `application "${flinkName}"`,
              aws.target,
            ),
        )
      : null;
  const firehoseName = plan.firehose;
  const firehose =
    firehoseName && aws
      ? launch(
          'Firehose',
          () => describeFirehose(aws, firehoseName, signal),
          (e) =>
            describeServiceError(e, 'Firehose', `delivery stream "${firehoseName}"`, aws.target),
        )
      : null;
  const mysqlPlan = plan.mysql;
  const mysql = mysqlPlan
    ? launch(
        'MySQL',
        () => readMySql(mysqlPlan, orderDs, windowMs),
        (e) => describeMySqlError(e, mysqlPlan.target),
      )
    : null;

  const [my, od, md, dd, wh, fl, fh, named] = await Promise.all([
    mysql,
    orderDs,
    metricDs,
    dwd,
    warehouse,
    flink,
    firehose,
    engineNamed,
  ]);
  return {
    mysql: my,
    orderDs: od,
    metricDs: md,
    dwd: dd,
    warehouse: wh,
    flink: fl,
    firehose: fh,
    ...(named !== undefined ? { engineNamed: named } : {}),
  };
}

/** The Flink application, and CloudWatch's figures on the streams around it. */
async function readFlink(
  plan: PipelinePlan,
  aws: AwsClients,
  name: string,
  signal: AbortSignal,
): Promise<{ app: FlinkState; figures: StreamFigures | null }> {
  const app = await describeFlink(aws.flink, name, signal);
  const outputs = [plan.metricStream, plan.dwdStream].filter((s): s is string => !!s);
  const figures = plan.orderStream
    ? await streamFigures(aws.cloudwatch, plan.orderStream, outputs, signal)
    : null;
  return { app, figures };
}

/** MySQL: freshness now, then what waits for order_ds once its newest is known. */
async function readMySql(
  mysql: NonNullable<PipelinePlan['mysql']>,
  orderDs: Promise<Settled<StreamFreshness>> | null,
  windowMs: number,
): Promise<{ fresh: MySqlFreshness; pending?: Pending | null }> {
  const database = mysql.target.database;
  const conn = await (await mysql.connector()).connect();
  try {
    const fresh = await mysqlFreshness(conn, database);
    let pending: Pending | null | undefined;
    if (orderDs) {
      const od = await orderDs;
      if (od.ok)
        pending = await mysqlPending(
          conn,
          database,
          shippedOf(od.value.items, database, Date.now()),
          windowMs,
        );
    }
    return { fresh, pending };
  } finally {
    await conn.end().catch(() => conn.destroy());
  }
}
