/**
 * One probe run over the configured pipeline: every data stage's freshness at once (each probe
 * bounded in time), then the verdict on every hop between them (lagRules.ts), as one check per
 * stage in flow order. A quiet pipeline passes; a stuck one names the process between.
 */
import type { HealthCheck } from '@shared/api';
import type { HealthWords } from '@shared/healthWords';
import type { MySqlConnector } from '../mysql/connect';
import { describeMySqlError } from '../mysql/errors';
import type { PasswordSource } from '../mysql/password';
import { urlWithPassword } from '../mysql/secretPassword';
import { describeMySqlTarget, type MySqlTarget } from '../mysql/target';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { describeAwsError } from '../kinesis/awsErrors';
import { readEngineTags } from '../kinesis/engineTags';
import type { EngineAnnouncement } from '@shared/schemas';
import {
  describeFirehose,
  describeFlink,
  describeStreamFigures,
  streamFigures,
  describeServiceError,
  judgeFirehose,
  judgeFlink,
  type AwsClients,
  type FirehoseState,
} from './awsProbes';
import {
  cdcAllowedLagMs,
  formatAge,
  judgeHop,
  LIVEWALL_LOAD,
  pendingFrom,
  type HopVerdict,
  type Pending,
} from './lagRules';
import { mysqlFreshness, mysqlPending, shippedOf, type MySqlFreshness } from './mysqlProbe';
import { HOPS, type Hop, type StageName } from './stages';
import { probeStream, StreamNotActive, type StreamFreshness } from './streamProbe';
import { warehouseFreshness, WarehouseMissing, type WarehouseFreshness } from './warehouseProbe';

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

type Settled<T> = { ok: true; value: T } | { ok: false; error: string };

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
    return await run(plan, maxLagMs, windowMs, timeoutMs, signal);
  } finally {
    clearTimeout(timer);
  }
}

async function run(
  plan: PipelinePlan,
  maxLagMs: number,
  windowMs: number,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<HealthCheck[]> {
  const kinesis = plan.kinesis;
  const stream = (name: string | undefined): Promise<Settled<StreamFreshness>> | null =>
    name && kinesis
      ? settle(
          () =>
            bounded(
              probeStream(kinesis.client, name, { windowMs, signal }),
              timeoutMs,
              `stream ${name}`,
            ),
          (e) =>
            isSentence(e)
              ? (e as Error).message
              : describeAwsError(e, { stream: name, target: kinesis.target }).sentence,
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
    ? settle(
        () =>
          bounded(
            urlWithPassword(warehouseUrl, plan.warehousePasswords?.() ?? []).then((url) =>
              warehouseFreshness(url, timeoutMs),
            ),
            timeoutMs,
            'the warehouse',
          ),
        (e) =>
          isSentence(e)
            ? (e as Error).message
            : `the warehouse did not answer: ${String((e as Error)?.message ?? e).split('\n')[0]}`,
      )
    : null;
  const aws = plan.aws;
  const flinkName = plan.flinkApplication;
  const flink =
    flinkName && aws
      ? settle(
          () =>
            bounded(
              (async () => {
                const app = await describeFlink(aws.flink, flinkName, signal);
                const outputs = [plan.metricStream, plan.dwdStream].filter((s): s is string => !!s);
                const figures = plan.orderStream
                  ? await streamFigures(aws.cloudwatch, plan.orderStream, outputs, signal)
                  : null;
                return { app, figures };
              })(),
              timeoutMs,
              'Managed Flink',
            ),
          (e) =>
            isSentence(e)
              ? (e as Error).message
              : describeServiceError(
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
      ? settle(
          () => bounded(describeFirehose(aws, firehoseName, signal), timeoutMs, 'Firehose'),
          (e) =>
            isSentence(e)
              ? (e as Error).message
              : describeServiceError(
                  e,
                  'Firehose',
                  `delivery stream "${firehoseName}"`,
                  aws.target,
                ),
        )
      : null;
  // MySQL: freshness now, then what waits for order_ds once its newest is known.
  const mysqlPlan = plan.mysql;
  const mysql = mysqlPlan
    ? settle(
        () =>
          bounded(
            (async () => {
              const conn = await (await mysqlPlan.connector()).connect();
              try {
                const fresh = await mysqlFreshness(conn, mysqlPlan.target.database);
                let pending: Pending | null | undefined;
                if (orderDs) {
                  const od = await orderDs;
                  if (od.ok)
                    pending = await mysqlPending(
                      conn,
                      mysqlPlan.target.database,
                      shippedOf(od.value.items, mysqlPlan.target.database),
                      windowMs,
                    );
                }
                return { fresh, pending };
              } finally {
                await conn.end().catch(() => conn.destroy());
              }
            })(),
            timeoutMs,
            'MySQL',
          ),
        (e) => (isSentence(e) ? (e as Error).message : describeMySqlError(e, mysqlPlan.target)),
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
  const out: HealthCheck[] = [];
  const add = (
    stage: StageName,
    ok: boolean,
    detail: string,
    ageMs?: number | null,
    words?: HealthWords,
  ): void => {
    out.push({
      stage,
      ok,
      detail,
      ...(ageMs !== undefined && ageMs !== null ? { ageMs } : {}),
      ...(words ? { words } : {}),
    });
  };
  const hop = (process: Hop['process'], to: Hop['to']): Hop =>
    HOPS.find((h) => h.process === process && h.to === to) as Hop;

  if (my && mysqlPlan) {
    const where = describeMySqlTarget(mysqlPlan.target);
    if (my.ok)
      add('mysql', true, `${where}: ${mysqlDetail(my.value.fresh)}`, my.value.fresh.newestAgeMs, {
        code: 'mysql-fresh',
        newestAgeMs: my.value.fresh.newestAgeMs,
      });
    else add('mysql', false, my.error);
  }
  if (mysqlPlan && plan.orderStream) {
    const name = plan.orderStream;
    if (!my?.ok || !od?.ok) {
      const silent = !my?.ok ? 'MySQL' : name;
      add(
        'cdc',
        false,
        `cannot tell whether cdc keeps up: ${silent} did not answer (see its line)`,
        undefined,
        { code: 'cannot-tell', process: 'cdc', silent },
      );
    } else {
      const readers = my.value.fresh.binlogReaders;
      const v = judgeHop({
        hop: hop('cdc', 'order_ds'),
        fromName: `MySQL ${mysqlPlan.target.database}.order`,
        toName: name,
        maxLagMs: cdcAllowedLagMs(maxLagMs, readers),
        downstreamAgeMs: od.value.newestAgeMs,
        pending: my.value.pending ?? null,
        windowMs,
      });
      const who =
        readers === null
          ? '; whether a client reads the binlog cannot be told (the account lacks PROCESS)'
          : readers === 0
            ? '; no client reads the binlog now'
            : ` (${readers} binlog reader(s) connected)`;
      add(
        'cdc',
        v.ok,
        v.ok ? `${v.detail}${who}` : v.detail.replace(/:/, `${who}:`),
        undefined,
        v.words,
      );
    }
  }
  for (const [stage, name, s] of [
    ['order_ds', plan.orderStream, od],
    ['metric_ds', plan.metricStream, md],
    ['dwd', plan.dwdStream, dd],
  ] as const) {
    if (!name || !s) continue;
    if (s.ok) {
      add(stage, true, streamDetail(name, s.value, windowMs), s.value.newestAgeMs, {
        code: 'stream-fresh',
        stream: name,
        shards: s.value.shards,
        newestAgeMs: s.value.newestAgeMs,
        windowMs,
      });
    } else add(stage, false, s.error);
  }
  // The engine: judged by its outputs, and by the Managed Flink application when one is named.
  const engineVerdicts: HopVerdict[] = [];
  let engineUnknown: string | null = null;
  let engineSilent: string | null = null;
  if (plan.orderStream && od) {
    for (const [to, name, s] of [
      ['metric_ds', plan.metricStream, md],
      ['dwd', plan.dwdStream, dd],
    ] as const) {
      if (!name || !s) continue;
      if (!od.ok || !s.ok) {
        engineSilent = !od.ok ? plan.orderStream : name;
        engineUnknown = `cannot tell whether the engine keeps up: ${engineSilent} did not answer (see its line)`;
        continue;
      }
      engineVerdicts.push(
        judgeHop({
          hop: hop('engine', to),
          fromName: plan.orderStream,
          toName: name,
          maxLagMs,
          downstreamAgeMs: s.value.newestAgeMs,
          pending: pendingFrom(
            od.value.items.map((i) => i.ageMs),
            s.value.newestAgeMs,
            !od.value.complete,
          ),
          windowMs,
        }),
      );
    }
  }
  if (engineVerdicts.length > 0 || engineUnknown || fl || named) {
    const behind = engineVerdicts.some((v) => !v.ok);
    const parts: string[] = [];
    let ok = !behind && engineUnknown === null;
    if (named) parts.push(describeEngine(named, metricName as string, Date.now()));
    else if (named === null && metricName)
      parts.push(
        `no engine has named itself on ${metricName} (livewall engine and livewall flink tag the stream when they start; the workshop's job does not)`,
      );
    if (fl) {
      if (fl.ok) {
        const f = judgeFlink(fl.value.app, behind);
        ok &&= f.ok;
        parts.push(f.detail);
        if (fl.value.figures && plan.orderStream)
          parts.push(describeStreamFigures(plan.orderStream, fl.value.figures));
      } else {
        ok = false;
        parts.push(fl.error);
      }
    }
    if (engineUnknown) parts.push(engineUnknown);
    const unknownWords: HealthWords | undefined =
      engineUnknown && engineSilent
        ? { code: 'cannot-tell', process: 'engine', silent: engineSilent }
        : undefined;
    const failing = engineVerdicts.filter((v) => !v.ok);
    for (const v of failing.length > 0 ? failing : engineVerdicts) parts.push(v.detail);
    // Worded on a screen by its stalled hop (the news), or by its one hop when that is all it says.
    const words =
      failing[0]?.words ??
      (parts.length === 1 && engineVerdicts.length === 1 ? engineVerdicts[0]!.words : undefined) ??
      (parts.length === 1 ? unknownWords : undefined);
    add('engine', ok, parts.join('; '), undefined, words);
  }
  // Firehose: its own state, and the dwd → warehouse hop with its buffer interval as grace.
  if (fh || (dd && wh)) {
    const parts: string[] = [];
    let ok = true;
    let graceMs = 300_000;
    let hopWords: HealthWords | undefined;
    if (fh) {
      if (fh.ok) {
        const f = judgeFirehose(fh.value as FirehoseState);
        ok &&= f.ok;
        parts.push(f.detail);
        graceMs = (fh.value as FirehoseState).bufferSeconds * 1000;
      } else {
        ok = false;
        parts.push(fh.error);
      }
    }
    if (dd && wh && plan.dwdStream) {
      if (!dd.ok || !wh.ok) {
        ok = false;
        parts.push(
          `cannot tell whether the warehouse keeps up: ${!dd.ok ? plan.dwdStream : 'the warehouse'} did not answer (see its line)`,
        );
        hopWords = {
          code: 'cannot-tell',
          process: 'firehose',
          silent: !dd.ok ? plan.dwdStream : 'warehouse',
        };
      } else if ((wh.value as WarehouseFreshness).loader && !fh) {
        // livewall load commits its shard positions with the rows: a dwd record that arrived after
        // the newest one committed waits on it (deletes leave no row, so `ts` cannot tell).
        const arrival = (wh.value as WarehouseFreshness).loader?.newestArrivalMs ?? null;
        const waiting = dd.value.items.filter(
          (i) => arrival === null || (i.arrivalMs ?? Infinity) > arrival,
        );
        const v = judgeHop({
          hop: hop('firehose', 'warehouse'),
          by: LIVEWALL_LOAD,
          fromName: plan.dwdStream,
          toName: 'the warehouse',
          maxLagMs,
          graceMs: plan.loaderGraceMs ?? 60_000,
          downstreamAgeMs: arrival === null ? null : Math.max(0, Date.now() - arrival),
          pending: pendingFrom(
            waiting.map((i) => i.ageMs),
            null,
            !dd.value.complete,
          ),
          windowMs,
        });
        ok &&= v.ok;
        parts.push(v.detail);
        if (!v.ok || parts.length === 1) hopWords = v.words;
      } else {
        const w = wh.value as WarehouseFreshness;
        const whAge = w.newestAgeMs;
        // Compared on the event's own time (`ts`), which the warehouse row keeps.
        const waiting = dd.value.items.filter(
          (i) =>
            w.newestTs === null ||
            (i.eventMs === undefined ? whAge === null || i.ageMs < whAge : i.eventMs > w.newestTs),
        );
        const v = judgeHop({
          hop: hop('firehose', 'warehouse'),
          fromName: plan.dwdStream,
          toName: 'the warehouse',
          maxLagMs,
          graceMs,
          downstreamAgeMs: whAge,
          pending:
            waiting.length === 0
              ? null
              : {
                  count: waiting.length,
                  oldestAgeMs: waiting.reduce((most, i) => Math.max(most, i.ageMs), 0),
                  ...(dd.value.complete ? {} : { atLeast: true }),
                },
          windowMs,
        });
        ok &&= v.ok;
        parts.push(v.detail);
        // Worded on a screen by its hop when that is the news (stalled) or all there is to say.
        if (!v.ok || parts.length === 1) hopWords = v.words;
      }
    }
    add('firehose', ok, parts.join('; '), undefined, hopWords);
  }
  if (wh) {
    if (wh.ok) {
      const w = wh.value as WarehouseFreshness;
      add(
        'warehouse',
        true,
        `${w.description}: ${w.rows} row(s), ${w.newestAgeMs === null ? 'none yet' : `the newest changed ${formatAge(w.newestAgeMs)} ago`}`,
        w.newestAgeMs,
        { code: 'warehouse-fresh', rows: w.rows, newestAgeMs: w.newestAgeMs },
      );
    } else add('warehouse', false, wh.error);
  }
  return out;
}

function mysqlDetail(f: MySqlFreshness): string {
  const newest =
    f.newestAgeMs === null
      ? 'the order table is empty'
      : `the newest change ${formatAge(f.newestAgeMs)} ago`;
  return `${newest}${f.binlog ? `, binlog at ${f.binlog}` : ''}`;
}

function streamDetail(name: string, s: StreamFreshness, windowMs: number): string {
  const newest =
    s.newestAgeMs === null
      ? `no record in the last ${formatAge(windowMs)}`
      : `the newest record ${formatAge(s.newestAgeMs)} old${s.complete ? '' : ' or newer'}`;
  return `${name}: ${s.status}, ${s.shards} shard(s), ${newest}`;
}

const ENGINE_NAMES: Record<EngineAnnouncement['kind'], string> = {
  engine: 'livewall engine',
  flink: 'livewall flink (a local Flink MiniCluster)',
  'managed-flink': 'the Flink job on Managed Service for Apache Flink',
};

/** `metric_ds is written by livewall flink (…): Flink 1.19.3 parallelism 2 on wallpc, started 5 min ago`. */
export function describeEngine(a: EngineAnnouncement, stream: string, now: number): string {
  const since = a.since !== null ? `, started ${formatAge(now - a.since)} ago` : '';
  // The tag is `create-time-future=1 ts-out-of-range=2` (tags allow no commas or colons).
  const counts = a.skipped?.split(' ').map((p) => p.replace('=', ' '));
  const skipped = counts
    ? `; it skipped records it cannot trust (${counts.join(', ')}), named on its stderr`
    : '';
  return `${stream} is written by ${ENGINE_NAMES[a.kind]}${a.detail ? `: ${a.detail}` : ''}${since}${skipped}`;
}
