/**
 * The data contracts of DESIGN.md, each written once: contracts 1–4 and the bridge API's requests,
 * answers and pushes. Contracts 1 and 2 are read once per record on the hot paths, so each is an
 * interface and the one function that checks it and builds it (TypeScript refuses a built object
 * that leaves a field out or gets its type wrong); the others are schemas (schemaKit.ts) whose
 * types are inferred from them.
 * Each message is the sentence a caller sees (the schema kit prefixes the entity's name). Change
 * these only together with docs/contracts.md and the tests.
 */
import * as v from 'valibot';
import {
  count,
  entity,
  fields,
  finite,
  integer,
  FIRST_ISSUE,
  fromFunction,
  issueOf,
  isFiniteNumber,
  listEntity,
  listOf,
  objectEntity,
  runOn,
  isObj,
  type Schema,
} from './schemaKit';
import { fail, ok, type Result } from './result';
import { readHealthWords } from './healthWords';
import { LANGUAGES } from './language';
import { dayStart } from './time';

// ---- contract 1: change events on order_ds -------------------------------------------------

export const ORDER_STATUSES = ['unpaid', 'paid', 'cancel', 'shipping', 'finished'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];
/** Statuses whose orders count as sold (gmv, paid_orders, buyers). */
export const SOLD_STATUSES: ReadonlySet<string> = new Set(['paid', 'shipping', 'finished']);

const changeTypeNamed = (message?: string) => v.picklist(['insert', 'update', 'delete'], message);
export const changeType = changeTypeNamed();
export type ChangeType = v.InferOutput<typeof changeType>;

/*
 * Contracts 1 and 2 are read once per record on the hot paths (the engine folds every change event,
 * the consumer every metric record), so each is an interface and one plain function that checks
 * it and builds it (wrapped as a schema, it composes into the others like any): valibot's object
 * parse costs 3–5 µs a record, more than the engine's whole fold.
 */

// Local bindings: the checks below run for every record (and a module's import costs a lookup).
const obj = isObj;
const finiteNumber = isFiniteNumber;

const CHANGE_TYPES = new Map<unknown, ChangeType | 'skip'>([
  ['insert', 'insert'],
  ['update', 'update'],
  ['delete', 'delete'],
  // Maxwell's bootstrap replays rows as inserts; its start and end markers carry no row.
  ['bootstrap-insert', 'insert'],
  ['bootstrap-start', 'skip'],
  ['bootstrap-complete', 'skip'],
]);

/** Contract 1: Maxwell's change event on `order_ds`. */
export interface ChangeEvent {
  database: string;
  table: string;
  type: ChangeType;
  /** Seconds. */
  ts: number;
  xid?: number;
  /** Maxwell's row position in the transaction (multi-row transactions). */
  xoffset?: number;
  commit?: boolean;
  /** Maxwell's `output_binlog_position`: `binlog-file:offset`, which orders events exactly. */
  position?: string;
  /** The full row after the change; for a delete, the row deleted. */
  data: Record<string, unknown>;
  /** Only the changed columns' previous values (updates). */
  old?: Record<string, unknown>;
}

/**
 * Contract 1. `skip` is a well-formed Maxwell event that carries no row (bootstrap markers): the
 * caller counts it as ignored, not malformed. Maxwell's optional fields are kept when well typed.
 */
export function readChangeEvent(e: unknown, inPlace = false): Result<ChangeEvent | 'skip'> {
  if (!obj(e)) return fail('not a JSON object');
  const { database, table, ts, data, old } = e;
  if (typeof database !== 'string') return fail('"database" must be a string');
  if (typeof table !== 'string') return fail('"table" must be a string');
  const type = CHANGE_TYPES.get(e.type);
  if (!type) return fail(`unknown "type" ${JSON.stringify(e.type)}`);
  if (type === 'skip') return ok('skip');
  if (!finiteNumber(ts)) return fail('"ts" must be a number of seconds');
  if (!obj(data)) return fail('"data" must be an object');
  if (old !== undefined && old !== null && !obj(old)) return fail('"old" must be an object');
  if (inPlace) {
    // The caller owns `e` (its own JSON.parse): checked and normalised without a copy. Optional
    // fields of the wrong type stay; readers of them check their type.
    e.type = type;
    return ok(e as unknown as ChangeEvent);
  }
  const event: ChangeEvent = { database, table, type, ts, data };
  if (finiteNumber(e.xid)) event.xid = e.xid;
  if (typeof e.commit === 'boolean') event.commit = e.commit;
  if (finiteNumber(e.xoffset)) event.xoffset = e.xoffset;
  if (typeof e.position === 'string') event.position = e.position;
  if (obj(old)) event.old = old;
  return ok(event);
}

export const changeEvent: Schema<ChangeEvent | 'skip'> = entity(
  'change event',
  fromFunction(readChangeEvent),
);

/** A row of the workshop's `order` table. */
export interface OrderRow {
  order_id: number;
  user_mail: string;
  /** The column is char(10): real data may hold statuses beyond the generator's five. */
  status: string;
  good_count: number;
  city: string;
  amount: number;
  /** `YYYY-MM-DD HH:MM:SS` in the database's zone. */
  create_time: string;
  update_time: string;
}

const isInteger = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x);

/** The columns of the workshop's `order` table, each with its type, in the order checked. */
export function readOrderRow(d: unknown, inPlace = false): Result<OrderRow> {
  if (!obj(d)) return fail('not a JSON object');
  const id = d.order_id;
  if (!isInteger(id)) return fail('"order_id" must be an integer');
  const mail = d.user_mail;
  if (typeof mail !== 'string') return fail('"user_mail" must be a string');
  const status = d.status;
  if (typeof status !== 'string') return fail('"status" must be a string');
  const city = d.city;
  if (typeof city !== 'string') return fail('"city" must be a string');
  const created = d.create_time;
  if (typeof created !== 'string') return fail('"create_time" must be a string');
  const updated = d.update_time;
  if (typeof updated !== 'string') return fail('"update_time" must be a string');
  const amount = d.amount;
  if (!finiteNumber(amount)) return fail('"amount" must be a number');
  const count = d.good_count;
  if (!isInteger(count)) return fail('"good_count" must be an integer');
  if (inPlace) {
    // The caller owns `d`: the checked columns stay where they are (others ride along).
    if (status.endsWith(' ')) d.status = status.trimEnd();
    return ok(d as unknown as OrderRow);
  }
  return ok({
    order_id: id,
    user_mail: mail,
    // char(10) columns come back right-padded from some clients.
    status: status.trimEnd(),
    good_count: count,
    city,
    amount,
    create_time: created,
    update_time: updated,
  });
}

export const orderRow: Schema<OrderRow> = entity('order row', fromFunction(readOrderRow));

/** A change of the `order` table whose row has every column with its right type. */
export interface OrderChange extends ChangeEvent {
  table: 'order';
  data: OrderRow & Record<string, unknown>;
}

// ---- contract 2: metric records on metric_ds --------------------------------------------------

export const metricWindow = v.picklist(['1d', '1m'], '"window" must be "1d" or "1m"');
export type MetricWindow = v.InferOutput<typeof metricWindow>;
export type DimValue = string | number | null;
const isDimValue = (x: unknown): x is DimValue =>
  x === null || typeof x === 'string' || finiteNumber(x);

/** Contract 2: a metric record on `metric_ds`. */
export interface MetricRecord {
  name: string;
  value: number;
  /** Epoch ms event time of the newest change folded in. */
  occur: number;
  window: MetricWindow;
  /** Window start, epoch ms. */
  start: number;
  dims: Record<string, DimValue>;
}

export function readMetricRecord(r: unknown, timeZone: string): Result<MetricRecord> {
  if (!obj(r)) return fail('not a JSON object');
  const { name, value, occur, window, start } = r;
  if (typeof name !== 'string' || name === '') return fail('"name" must be a non-empty string');
  if (!finiteNumber(value)) return fail('"value" must be a number');
  if (!finiteNumber(occur)) return fail('"occur" must be epoch ms');
  if (window === undefined && start === undefined && r.dims === undefined) {
    return ok({ name, value, occur, window: '1d', start: dayStart(occur, timeZone), dims: {} });
  }
  if (window !== '1d' && window !== '1m') return fail('"window" must be "1d" or "1m"');
  if (!finiteNumber(start)) return fail('"start" must be epoch ms');
  const dims: Record<string, DimValue> = {};
  if (r.dims !== undefined) {
    if (!obj(r.dims)) return fail('"dims" must be an object');
    for (const [k, x] of Object.entries(r.dims)) {
      if (!isDimValue(x)) return fail(`dims."${k}" must be a string, a number or null`);
      // Keys are data: "__proto__" is a dimension like any other, not the object's prototype.
      if (k === '__proto__') {
        Object.defineProperty(dims, k, {
          value: x,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      } else dims[k] = x;
    }
  }
  return ok({ name, value, occur, window, start, dims });
}

const metricRecords = new Map<string, Schema<MetricRecord>>();

/**
 * Contract 2, including the workshop job's short form `{name,value,occur}`, which means window
 * `1d`, the calendar day of `occur` in `timeZone`, dims `{}`.
 */
export function metricRecord(timeZone: string): Schema<MetricRecord> {
  const held = metricRecords.get(timeZone);
  if (held) return held;
  const schema = entity(
    'metric record',
    fromFunction((r) => readMetricRecord(r, timeZone)),
  );
  metricRecords.set(timeZone, schema);
  return schema;
}

/**
 * The name of the workshop Flink job's own record, `{"name":"amount","value":…,"occur":…}`: its
 * running total of the day's sales (a 1d total of that day, dims {}). Screens show it as today's
 * sales on the GMV tile, unless livewall's own `gmv` total for the day is there too.
 */
export const WORKSHOP_SALES_METRIC = 'amount';

// ---- contract 3: wide rows on dwd_customer_order_ds -------------------------------------------

const wideTail = fields({
  sex: v.nullable(v.string('"sex" must be a string or null')),
  level: v.nullable(finite('"level" must be a number or null')),
  op: changeTypeNamed('"op" must be insert, update or delete'),
  /** The change's time, epoch ms. */
  ts: finite('"ts" must be epoch ms'),
});

export const wideRow = entity(
  'wide row',
  fromFunction((w) => {
    const row = readOrderRow(w);
    if (!row.ok) return row;
    const tail = runOn(wideTail, w, FIRST_ISSUE);
    if (tail.issues || !tail.typed) return fail(issueOf(tail) ?? 'invalid');
    return ok({ ...row.value, ...tail.value });
  }),
);
/** Contract 3: the wide row on `dwd_customer_order_ds`. */
export type WideRow = v.InferOutput<typeof wideRow>;

// ---- contract 4 and the bridge API --------------------------------------------------------

const lastRecordAt = v.nullable(finite('"lastRecordAt" must be epoch ms or null'));
const stale = v.boolean('"stale" must be a boolean');

const snapshotEntries = (timeZone: string) => ({
  metrics: v.array(metricRecord(timeZone), '"metrics" must be an array'),
  lastRecordAt,
  stale,
  /** The screen's configured language (config `language`); absent from older servers. */
  language: v.optional(v.picklist(LANGUAGES, '"language" must be zh, en or zh+en')),
});
/** Contract 4: `GET /api/snapshot`. */
export type Snapshot = v.InferOutput<v.ObjectSchema<ReturnType<typeof snapshotEntries>, undefined>>;
export const snapshot = (timeZone: string): Schema<Snapshot> =>
  objectEntity('snapshot', snapshotEntries(timeZone));

const batchEntries = (timeZone: string) => ({
  records: v.array(metricRecord(timeZone), '"records" must be an array'),
  lastRecordAt,
  stale,
});
/** A push from main: only the identities that changed since the last push. */
export type MetricBatch = v.InferOutput<v.ObjectSchema<ReturnType<typeof batchEntries>, undefined>>;
export const metricBatch = (timeZone: string): Schema<MetricBatch> =>
  objectEntity('batch', batchEntries(timeZone));

/** Largest burst one request may ask for: enough for a demo, small enough not to stall a screen. */
export const MAX_BURST_ORDERS = 100_000;

/** Where a burst's orders go: the embedded demo table, or the configured MySQL. */
export const burstTargetId = (message: string) => v.picklist(['embedded', 'mysql'], message);
export type BurstTargetId = 'embedded' | 'mysql';

const ordersMessage = `"orders" must be a whole number from 1 to ${MAX_BURST_ORDERS}`;
/** A burst request from the renderer, a browser or the menu. */
export const burstRequest = objectEntity('burst request', {
  orders: v.pipe(
    integer(ordersMessage),
    v.minValue(1, ordersMessage),
    v.maxValue(MAX_BURST_ORDERS, ordersMessage),
  ),
  /** Where the orders go; the source's default when absent. */
  target: v.optional(burstTargetId('"target" must be "embedded" or "mysql"')),
});
export type BurstRequest = v.InferOutput<typeof burstRequest>;

const passwordMessage = '"password" must be 1 to 256 characters';
/** A password typed in the app's panel, on its way to the OS keychain. */
export const passwordRequest = objectEntity('password request', {
  password: v.pipe(
    v.string(passwordMessage),
    v.minLength(1, passwordMessage),
    v.maxLength(256, passwordMessage),
  ),
});
export type PasswordRequest = v.InferOutput<typeof passwordRequest>;

/** Which engine writes the metric stream, as it announced itself (stream tags; see engineTags). */
export const ENGINE_KINDS = ['engine', 'flink', 'managed-flink'] as const;
export type EngineKind = (typeof ENGINE_KINDS)[number];
const engineAnnouncement = fields(
  {
    /** `engine`: livewall engine; `flink`: livewall flink (local MiniCluster); `managed-flink`: the jar on AWS. */
    kind: v.picklist(ENGINE_KINDS, '"kind" must be engine, flink or managed-flink'),
    /** e.g. `Flink 1.19.3 parallelism 2 on wallpc` (never a secret). */
    detail: v.string('"detail" must be a string'),
    /** When it started writing, epoch ms, or null when not said. */
    since: v.nullable(finite('"since" must be epoch ms or null')),
    /** Records it skipped as untrustworthy, per reason: `create-time-future=1 ts-out-of-range=2`. */
    skipped: v.optional(v.string('"skipped" must be a string')),
  },
  '"engine" must be an object',
);
export type EngineAnnouncement = v.InferOutput<typeof engineAnnouncement>;

const lagMessage = '"lagMs" must be a whole number of milliseconds';
/** The feed's own word on how it is doing, shown on screen (never credentials). */
export const feedStatus = objectEntity('status', {
  /** The config's source: `embedded` or `kinesis` (`web` while a browser is cut off). */
  source: v.string('"source" must be a string'),
  /** `ok`, or a sentence on what is wrong and being retried. */
  state: v.picklist(['ok', 'connecting', 'error'], '"state" must be ok, connecting or error'),
  message: v.nullable(v.string('"message" must be a string or null')),
  /** How far the slowest shard is behind the stream's newest record, ms (Kinesis feeds). */
  lagMs: v.optional(count(lagMessage)),
  /** The engine that announced itself on the metric stream (Kinesis feeds; absent when unknown). */
  engine: v.optional(engineAnnouncement),
});
export type FeedStatus = v.InferOutput<typeof feedStatus>;

const countsMessage = '"inserted", "updated" and "failed" must be whole numbers';
/** What a burst did; `failed` is 0 unless the target refused orders. */
export const burstSummary = objectEntity('burst summary', {
  inserted: count(countsMessage),
  updated: count(countsMessage),
  failed: count(countsMessage),
});
export type BurstSummary = v.InferOutput<typeof burstSummary>;

const progressMessage =
  '"requested", "inserted", "updated", "failed" and "pendingSteps" must be whole numbers';
/** A running burst's progress, pushed while it runs (at most a few times a second). */
export const burstProgress = objectEntity('burst progress', {
  /** Numbers the bursts of one server, so a screen can follow its own or one fired elsewhere. */
  burstId: count('"burstId" must be a whole number'),
  target: burstTargetId('"target" must be "embedded" or "mysql"'),
  requested: count(progressMessage),
  inserted: count(progressMessage),
  updated: count(progressMessage),
  failed: count(progressMessage),
  /** Lifecycle steps still to run (MySQL bursts with lifecycle wait for them). */
  pendingSteps: count(progressMessage),
});
export type BurstProgress = v.InferOutput<typeof burstProgress>;

const burstTarget = fields(
  {
    id: burstTargetId('"id" must be "embedded" or "mysql"'),
    /** For the panel, e.g. "MySQL shop@10.0.0.5:3306/demo" (never a password). */
    label: v.string('"label" must be a string'),
  },
  'is not an object',
);
export type BurstTarget = v.InferOutput<typeof burstTarget>;

/** The answer of `GET /api/burst/targets`: where bursts can go, the default first. */
export const burstTargets = entity(
  'burst targets',
  v.pipe(
    listOf(burstTarget),
    // A target listed twice would make the selector ambiguous.
    v.rawCheck(({ dataset, addIssue }) => {
      if (!dataset.typed) return;
      const seen = new Set<string>();
      for (const t of dataset.value) {
        if (seen.has(t.id)) addIssue({ message: `"${t.id}" is listed twice` });
        seen.add(t.id);
      }
    }),
  ),
);

const healthCheck = fields(
  {
    /** e.g. `kinesis metric_ds`. */
    stage: v.string('"stage" must be a string'),
    ok: v.boolean('"ok" must be a boolean'),
    /** What works, or what is wrong and what to do (never a secret). */
    detail: v.string('"detail" must be a string'),
    /** Age of the stage's newest data, ms (data stages: MySQL, the streams, the warehouse). */
    ageMs: v.optional(
      v.pipe(
        v.unknown(),
        v.transform((x) => (isFiniteNumber(x) ? x : undefined)),
      ),
    ),
    /**
     * The detail as a code and its numbers, so a screen words it in its own language
     * (healthWords.ts); malformed words are dropped and the sentence remains.
     */
    words: v.optional(v.pipe(v.unknown(), v.transform(readHealthWords))),
  },
  'is not an object',
);
/** One probe of `livewall health` and the app's health panel. */
export type HealthCheck = v.InferOutput<typeof healthCheck>;
/** The answer of `GET /api/health`: one check per configured stage, in the order they ran. */
export const healthChecks = listEntity('health checks', healthCheck);

export interface PasswordSaved {
  saved: boolean;
  /** A sentence for the panel (never the password). */
  message: string;
}
