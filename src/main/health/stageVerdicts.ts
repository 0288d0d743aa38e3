/**
 * The verdict on each stage of the pipeline from what its probes read (pipeline.ts launches them):
 * one pure function per stage, answering its check (ok, sentence, words, age) or null when the
 * stage is not configured. A quiet pipeline passes; a stuck one names the process between.
 */
import type { HealthCheck } from '@shared/contracts';
import type { HealthWords } from '@shared/healthWords';
import type { EngineAnnouncement } from '@shared/contracts';
import { describeMySqlTarget, type MySqlTarget } from '../mysql/target';
import {
  describeStreamFigures,
  judgeFirehose,
  judgeFlink,
  type FirehoseState,
  type FlinkState,
  type StreamFigures,
} from './awsRules';
import { describeEngine } from './engineName';
import {
  cdcAllowedLagMs,
  formatAge,
  judgeHop,
  pendingFrom,
  type HopVerdict,
  type Pending,
} from './lagRules';
import type { MySqlFreshness } from './mysqlProbe';
import type { StageName } from '@shared/stages';
import { HOPS, type Hop } from './stages';
import type { StreamFreshness } from './streamProbe';
import type { WarehouseFreshness } from './warehouseProbe';

/** A probe's outcome: what it read, or the sentence of its failure. */
export type Settled<T> = { ok: true; value: T } | { ok: false; error: string };

/** What the probes read; null where the stage is not configured. */
export interface Readings {
  /** MySQL's freshness, and what waits for order_ds once its newest is known. */
  mysql: Settled<{ fresh: MySqlFreshness; pending?: Pending | null }> | null;
  orderDs: Settled<StreamFreshness> | null;
  metricDs: Settled<StreamFreshness> | null;
  dwd: Settled<StreamFreshness> | null;
  warehouse: Settled<WarehouseFreshness> | null;
  flink: Settled<{ app: FlinkState; figures: StreamFigures | null }> | null;
  firehose: Settled<FirehoseState> | null;
  /** The engine named on the metric stream; null: none did; undefined: not asked or unknown. */
  engineNamed?: EngineAnnouncement | null;
}

/** The configured stages as sentences name them, the limits, and when the probes answered. */
export interface VerdictContext {
  mysql?: { target: MySqlTarget };
  orderStream?: string;
  metricStream?: string;
  dwdStream?: string;
  /** How long data may wait at a hop before the process between is blamed. */
  maxLagMs: number;
  /** How far back the probes looked. */
  windowMs: number;
  /** Added to maxLag on the hop `livewall load` moves (default 60 s, its buffer interval). */
  loaderGraceMs?: number;
  /** Epoch ms the ages of announcements and commits are counted to. */
  now: number;
}

export type StageVerdict = (ctx: VerdictContext, r: Readings) => HealthCheck | null;

function check(
  stage: StageName,
  ok: boolean,
  detail: string,
  ageMs?: number | null,
  words?: HealthWords,
): HealthCheck {
  return {
    stage,
    ok,
    detail,
    ...(ageMs !== undefined && ageMs !== null ? { ageMs } : {}),
    ...(words ? { words } : {}),
  };
}

const hop = (process: Hop['process'], to: Hop['to']): Hop =>
  HOPS.find((h) => h.process === process && h.to === to) as Hop;

/** MySQL: the age of the newest change to `order`, and the binlog's position. */
export const mysqlVerdict: StageVerdict = (ctx, { mysql: my }) => {
  if (!my || !ctx.mysql) return null;
  if (!my.ok) return check('mysql', false, my.error);
  const fresh = my.value.fresh;
  return check(
    'mysql',
    true,
    `${describeMySqlTarget(ctx.mysql.target)}: ${mysqlDetail(fresh)}`,
    fresh.newestAgeMs,
    { code: 'mysql-fresh', newestAgeMs: fresh.newestAgeMs },
  );
};

/** cdc: MySQL's changes not yet on order_ds, allowed less lag when nobody reads the binlog. */
export const cdcVerdict: StageVerdict = (ctx, { mysql: my, orderDs: od }) => {
  if (!ctx.mysql || !ctx.orderStream) return null;
  const name = ctx.orderStream;
  if (!my?.ok || !od?.ok) {
    const silent = !my?.ok ? 'MySQL' : name;
    return check(
      'cdc',
      false,
      `cannot tell whether cdc keeps up: ${silent} did not answer (see its line)`,
      undefined,
      { code: 'cannot-tell', process: 'cdc', silent },
    );
  }
  const readers = my.value.fresh.binlogReaders;
  const v = judgeHop({
    hop: hop('cdc', 'order_ds'),
    fromName: `MySQL ${ctx.mysql.target.database}.order`,
    toName: name,
    maxLagMs: cdcAllowedLagMs(ctx.maxLagMs, readers),
    downstreamAgeMs: od.value.newestAgeMs,
    pending: my.value.pending ?? null,
    windowMs: ctx.windowMs,
  });
  const who =
    readers === null
      ? '; whether a client reads the binlog cannot be told (the account lacks PROCESS)'
      : readers === 0
        ? '; no client reads the binlog now'
        : ` (${readers} binlog reader(s) connected)`;
  return check(
    'cdc',
    v.ok,
    v.ok ? `${v.detail}${who}` : v.detail.replace(/:/, `${who}:`),
    undefined,
    v.words,
  );
};

/** A stream (order_ds, metric_ds, dwd): its status, shards and newest record. */
function streamVerdict(
  stage: 'order_ds' | 'metric_ds' | 'dwd',
  name: (ctx: VerdictContext) => string | undefined,
  reading: (r: Readings) => Settled<StreamFreshness> | null,
): StageVerdict {
  return (ctx, r) => {
    const stream = name(ctx);
    const s = reading(r);
    if (!stream || !s) return null;
    if (!s.ok) return check(stage, false, s.error);
    return check(stage, true, streamDetail(stream, s.value, ctx.windowMs), s.value.newestAgeMs, {
      code: 'stream-fresh',
      stream,
      shards: s.value.shards,
      newestAgeMs: s.value.newestAgeMs,
      windowMs: ctx.windowMs,
    });
  };
}
export const orderDsVerdict = streamVerdict(
  'order_ds',
  (c) => c.orderStream,
  (r) => r.orderDs,
);
export const metricDsVerdict = streamVerdict(
  'metric_ds',
  (c) => c.metricStream,
  (r) => r.metricDs,
);
export const dwdVerdict = streamVerdict(
  'dwd',
  (c) => c.dwdStream,
  (r) => r.dwd,
);

/** The engine: judged by its outputs, and by the Managed Flink application when one is named. */
export const engineVerdict: StageVerdict = (ctx, r) => {
  const { orderDs: od, flink: fl, engineNamed: named } = r;
  const metricName = ctx.metricStream;
  const engineVerdicts: HopVerdict[] = [];
  let engineUnknown: string | null = null;
  let engineSilent: string | null = null;
  if (ctx.orderStream && od) {
    for (const [to, name, s] of [
      ['metric_ds', ctx.metricStream, r.metricDs],
      ['dwd', ctx.dwdStream, r.dwd],
    ] as const) {
      if (!name || !s) continue;
      if (!od.ok || !s.ok) {
        engineSilent = !od.ok ? ctx.orderStream : name;
        engineUnknown = `cannot tell whether the engine keeps up: ${engineSilent} did not answer (see its line)`;
        continue;
      }
      engineVerdicts.push(
        judgeHop({
          hop: hop('engine', to),
          fromName: ctx.orderStream,
          toName: name,
          maxLagMs: ctx.maxLagMs,
          downstreamAgeMs: s.value.newestAgeMs,
          pending: pendingFrom(
            od.value.items.map((i) => i.ageMs),
            s.value.newestAgeMs,
            !od.value.complete,
          ),
          windowMs: ctx.windowMs,
        }),
      );
    }
  }
  if (!(engineVerdicts.length > 0 || engineUnknown || fl || named)) return null;
  const behind = engineVerdicts.some((v) => !v.ok);
  const parts: string[] = [];
  let ok = !behind && engineUnknown === null;
  if (named) parts.push(describeEngine(named, metricName as string, ctx.now));
  else if (named === null && metricName)
    parts.push(
      `no engine has named itself on ${metricName} (livewall engine and livewall flink tag the stream when they start; the workshop's job does not)`,
    );
  if (fl) {
    if (fl.ok) {
      const f = judgeFlink(fl.value.app, behind);
      ok &&= f.ok;
      parts.push(f.detail);
      if (fl.value.figures && ctx.orderStream)
        parts.push(describeStreamFigures(ctx.orderStream, fl.value.figures));
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
  return check('engine', ok, parts.join('; '), undefined, words);
};

/**
 * Firehose: its own state, and the dwd → warehouse hop with its buffer interval as grace. Where
 * no Firehose is named and `livewall load` fills the warehouse, the hop is the loader's and so is
 * the line (stage `load`): a screen must not name a Firehose that is not there.
 */
export const firehoseVerdict: StageVerdict = (ctx, r) => {
  const { firehose: fh, dwd: dd, warehouse: wh } = r;
  if (!(fh || (dd && wh))) return null;
  const stage = !fh && wh?.ok && wh.value.loader ? 'load' : 'firehose';
  const parts: string[] = [];
  let ok = true;
  let graceMs = 300_000;
  let hopWords: HealthWords | undefined;
  if (fh) {
    if (fh.ok) {
      const f = judgeFirehose(fh.value);
      ok &&= f.ok;
      parts.push(f.detail);
      graceMs = fh.value.bufferSeconds * 1000;
    } else {
      ok = false;
      parts.push(fh.error);
    }
  }
  if (dd && wh && ctx.dwdStream) {
    if (!dd.ok || !wh.ok) {
      ok = false;
      parts.push(
        `cannot tell whether the warehouse keeps up: ${!dd.ok ? ctx.dwdStream : 'the warehouse'} did not answer (see its line)`,
      );
      hopWords = {
        code: 'cannot-tell',
        process: stage,
        silent: !dd.ok ? ctx.dwdStream : 'warehouse',
      };
    } else {
      const v = warehouseHop(ctx, dd.value, wh.value, fh ? graceMs : null);
      ok &&= v.ok;
      parts.push(v.detail);
      // Worded on a screen by its hop when that is the news (stalled) or all there is to say.
      if (!v.ok || parts.length === 1) hopWords = v.words;
    }
  }
  return check(stage, ok, parts.join('; '), undefined, hopWords);
};

/**
 * dwd → warehouse: by the positions `livewall load` committed when it fills the table (and no
 * Firehose is named), else by the event's own time (`ts`), which the warehouse row keeps.
 */
function warehouseHop(
  ctx: VerdictContext,
  dd: StreamFreshness,
  w: WarehouseFreshness,
  firehoseGraceMs: number | null,
): HopVerdict {
  const dwdStream = ctx.dwdStream as string;
  if (w.loader && firehoseGraceMs === null) {
    // livewall load commits its shard positions with the rows: a dwd record that arrived after
    // the newest one committed waits on it (deletes leave no row, so `ts` cannot tell).
    const arrival = w.loader.newestArrivalMs ?? null;
    const waiting = dd.items.filter((i) => arrival === null || (i.arrivalMs ?? Infinity) > arrival);
    return judgeHop({
      hop: hop('load', 'warehouse'),
      fromName: dwdStream,
      toName: 'the warehouse',
      maxLagMs: ctx.maxLagMs,
      graceMs: ctx.loaderGraceMs ?? 60_000,
      downstreamAgeMs: arrival === null ? null : Math.max(0, ctx.now - arrival),
      pending: pendingFrom(
        waiting.map((i) => i.ageMs),
        null,
        !dd.complete,
      ),
      windowMs: ctx.windowMs,
    });
  }
  const whAge = w.newestAgeMs;
  // Compared on the event's own time (`ts`), which the warehouse row keeps.
  const waiting = dd.items.filter(
    (i) =>
      w.newestTs === null ||
      (i.eventMs === undefined ? whAge === null || i.ageMs < whAge : i.eventMs > w.newestTs),
  );
  return judgeHop({
    hop: hop('firehose', 'warehouse'),
    fromName: dwdStream,
    toName: 'the warehouse',
    maxLagMs: ctx.maxLagMs,
    graceMs: firehoseGraceMs ?? 300_000,
    downstreamAgeMs: whAge,
    pending:
      waiting.length === 0
        ? null
        : {
            count: waiting.length,
            oldestAgeMs: waiting.reduce((most, i) => Math.max(most, i.ageMs), 0),
            ...(dd.complete ? {} : { atLeast: true }),
          },
    windowMs: ctx.windowMs,
  });
}

/** The warehouse: its rows and the age of the newest change it holds. */
export const warehouseVerdict: StageVerdict = (_ctx, { warehouse: wh }) => {
  if (!wh) return null;
  if (!wh.ok) return check('warehouse', false, wh.error);
  const w = wh.value;
  return check(
    'warehouse',
    true,
    `${w.description}: ${w.rows} row(s), ${w.newestAgeMs === null ? 'none yet' : `the newest changed ${formatAge(w.newestAgeMs)} ago`}`,
    w.newestAgeMs,
    { code: 'warehouse-fresh', rows: w.rows, newestAgeMs: w.newestAgeMs },
  );
};

/** Every stage's verdict, in the order the checks are listed (the caller sorts into flow order). */
export const STAGE_VERDICTS: readonly StageVerdict[] = [
  mysqlVerdict,
  cdcVerdict,
  orderDsVerdict,
  metricDsVerdict,
  dwdVerdict,
  engineVerdict,
  firehoseVerdict,
  warehouseVerdict,
];

export function pipelineChecks(ctx: VerdictContext, r: Readings): HealthCheck[] {
  return STAGE_VERDICTS.flatMap((verdict) => verdict(ctx, r) ?? []);
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
