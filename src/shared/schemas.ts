/**
 * Schemas of every contract that crosses a process or a network: contracts 1–4 of DESIGN.md and
 * the bridge API's requests, answers and pushes. The types of contracts.ts and api.ts are
 * inferred from these, so a type and its check cannot drift apart. Each message is the sentence
 * a caller sees (schema.ts prefixes the entity's name).
 */
import * as v from 'valibot';
import {
  count,
  entity,
  fields,
  finite,
  isFiniteNumber,
  listEntity,
  listOf,
  objectEntity,
  plainObject,
  type Obj,
  type Schema,
} from './schema';
import { dayStart } from './time';

// ---- contract 1: change events on order_ds -------------------------------------------------

const CHANGE_TYPES = {
  insert: 'insert',
  update: 'update',
  delete: 'delete',
  // Maxwell's bootstrap replays rows as inserts; its start and end markers carry no row.
  'bootstrap-insert': 'insert',
  'bootstrap-start': 'skip',
  'bootstrap-complete': 'skip',
} as const;
export const changeType = v.picklist(['insert', 'update', 'delete']);
export type ChangeType = v.InferOutput<typeof changeType>;

const changeHead = fields({
  database: v.string('"database" must be a string'),
  table: v.string('"table" must be a string'),
  type: v.pipe(
    v.picklist(
      Object.keys(CHANGE_TYPES) as (keyof typeof CHANGE_TYPES)[],
      (issue) => `unknown "type" ${JSON.stringify(issue.input)}`,
    ),
    v.transform((t) => CHANGE_TYPES[t]),
  ),
});

const changeBody = fields({
  /** Seconds. */
  ts: finite('"ts" must be a number of seconds'),
  /** The full row after the change; for a delete, the row deleted. */
  data: plainObject('"data" must be an object'),
  /** Only the changed columns' previous values (updates). */
  old: v.optional(v.nullable(plainObject('"old" must be an object'))),
});

export const changeEventShape = v.object({
  database: v.string(),
  table: v.string(),
  type: changeType,
  ts: v.number(),
  xid: v.optional(v.number()),
  /** Maxwell's row position in the transaction (multi-row transactions). */
  xoffset: v.optional(v.number()),
  commit: v.optional(v.boolean()),
  /** Maxwell's `output_binlog_position`: `binlog-file:offset`, which orders events exactly. */
  position: v.optional(v.string()),
  data: v.record(v.string(), v.unknown()),
  old: v.optional(v.record(v.string(), v.unknown())),
});
/** Contract 1: Maxwell's change event on `order_ds`. */
export type ChangeEvent = v.InferOutput<typeof changeEventShape>;

/**
 * Contract 1. `skip` is a well-formed Maxwell event that carries no row (bootstrap markers): the
 * caller counts it as ignored, not malformed. Maxwell's optional fields are kept when well typed.
 */
export const changeEvent: Schema<ChangeEvent | 'skip'> = entity(
  'change event',
  v.pipe(
    plainObject('not a JSON object'),
    v.rawTransform<Obj, ChangeEvent | 'skip'>(({ dataset, addIssue, NEVER }) => {
      const e = dataset.value;
      const head = v.safeParse(changeHead, e, { abortEarly: true });
      if (!head.success) {
        addIssue({ message: head.issues[0].message });
        return NEVER;
      }
      const { database, table, type } = head.output;
      if (type === 'skip') return 'skip';
      const body = v.safeParse(changeBody, e, { abortEarly: true });
      if (!body.success) {
        addIssue({ message: body.issues[0].message });
        return NEVER;
      }
      const event: ChangeEvent = {
        database,
        table,
        type,
        ts: body.output.ts,
        data: body.output.data,
      };
      if (isFiniteNumber(e.xid)) event.xid = e.xid;
      if (typeof e.commit === 'boolean') event.commit = e.commit;
      if (isFiniteNumber(e.xoffset)) event.xoffset = e.xoffset;
      if (typeof e.position === 'string') event.position = e.position;
      if (body.output.old) event.old = body.output.old;
      return event;
    }),
  ),
);

const integer = (message: string): Schema<number> => v.pipe(v.number(message), v.integer(message));
const text = (key: string): Schema<string> => v.string(`"${key}" must be a string`);

/** The columns of the workshop's `order` table, in the order they are checked. */
const orderColumns = {
  order_id: integer('"order_id" must be an integer'),
  user_mail: text('user_mail'),
  /** The column is char(10): padded by some clients; real data may hold more than five statuses. */
  status: v.pipe(
    text('status'),
    v.transform((s) => s.trimEnd()),
  ),
  city: text('city'),
  /** `YYYY-MM-DD HH:MM:SS` in the database's zone. */
  create_time: text('create_time'),
  update_time: text('update_time'),
  amount: finite('"amount" must be a number'),
  good_count: integer('"good_count" must be an integer'),
};

/** A row of the workshop's `order` table. */
export const orderRow = objectEntity('order row', orderColumns);
export type OrderRow = v.InferOutput<typeof orderRow>;

// ---- contract 2: metric records on metric_ds --------------------------------------------------

export const metricWindow = v.picklist(['1d', '1m'], '"window" must be "1d" or "1m"');
export type MetricWindow = v.InferOutput<typeof metricWindow>;
export type DimValue = string | number | null;
const isDimValue = (x: unknown): x is DimValue =>
  x === null || typeof x === 'string' || isFiniteNumber(x);

const dims = v.pipe(
  plainObject('"dims" must be an object'),
  v.rawTransform<Obj, Record<string, DimValue>>(({ dataset, addIssue, NEVER }) => {
    const out: Record<string, DimValue> = {};
    for (const [k, x] of Object.entries(dataset.value)) {
      if (!isDimValue(x)) {
        addIssue({ message: `dims."${k}" must be a string, a number or null` });
        return NEVER;
      }
      out[k] = x;
    }
    return out;
  }),
);

const metricHead = fields({
  name: v.pipe(
    v.string('"name" must be a non-empty string'),
    v.nonEmpty('"name" must be a non-empty string'),
  ),
  value: finite('"value" must be a number'),
  /** Epoch ms event time of the newest change folded in. */
  occur: finite('"occur" must be epoch ms'),
});
const metricTail = fields({
  window: metricWindow,
  /** Window start, epoch ms. */
  start: finite('"start" must be epoch ms'),
  dims: v.optional(dims, {}),
});
export const metricRecordShape = v.object({
  name: v.string(),
  value: v.number(),
  occur: v.number(),
  window: metricWindow,
  start: v.number(),
  dims: v.record(v.string(), v.union([v.string(), v.number(), v.null()])),
});
/** Contract 2: a metric record on `metric_ds`. */
export type MetricRecord = v.InferOutput<typeof metricRecordShape>;

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
    v.pipe(
      plainObject('not a JSON object'),
      v.rawTransform<Obj, MetricRecord>(({ dataset, addIssue, NEVER }) => {
        const r = dataset.value;
        const head = v.safeParse(metricHead, r, { abortEarly: true });
        if (!head.success) {
          addIssue({ message: head.issues[0].message });
          return NEVER;
        }
        const { name, value, occur } = head.output;
        if (r.window === undefined && r.start === undefined && r.dims === undefined) {
          return { name, value, occur, window: '1d', start: dayStart(occur, timeZone), dims: {} };
        }
        const tail = v.safeParse(metricTail, r, { abortEarly: true });
        if (!tail.success) {
          addIssue({ message: tail.issues[0].message });
          return NEVER;
        }
        return { name, value, occur, ...tail.output };
      }),
    ),
  );
  metricRecords.set(timeZone, schema);
  return schema;
}

// ---- contract 3: wide rows on dwd_customer_order_ds -------------------------------------------

export const wideRow = objectEntity('wide row', {
  ...orderColumns,
  sex: v.nullable(v.string('"sex" must be a string or null')),
  level: v.nullable(finite('"level" must be a number or null')),
  op: v.picklist(['insert', 'update', 'delete'], '"op" must be insert, update or delete'),
  /** The change's time, epoch ms. */
  ts: finite('"ts" must be epoch ms'),
});
/** Contract 3: the wide row on `dwd_customer_order_ds`. */
export type WideRow = v.InferOutput<typeof wideRow>;

// ---- contract 4 and the bridge API --------------------------------------------------------

const lastRecordAt = v.nullable(finite('"lastRecordAt" must be epoch ms or null'));
const stale = v.boolean('"stale" must be a boolean');

const snapshotEntries = (timeZone: string) => ({
  metrics: v.array(metricRecord(timeZone), '"metrics" must be an array'),
  lastRecordAt,
  stale,
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
