/**
 * A health check's detail as a code and its numbers, beside the English sentence, so a screen in
 * another language words it from its own catalogue (`livewall health` keeps printing the
 * sentence). It rides on a check as an optional `words` field; a check without it is shown by its
 * sentence where the screen shows English, and by a plain "passed"/"failed" where not.
 *
 * The `healthCheck` schema (src/shared/contracts.ts) reads it with readHealthWords, so this module
 * imports nothing of the contracts (they import it).
 */

export type HealthWords =
  /** The embedded self-test: `orders` test orders went through and all were counted. */
  | { code: 'embedded-ok'; orders: number }
  | { code: 'embedded-lost'; sent: number; seen: number }
  | { code: 'embedded-failed' }
  /** A probe that did not answer within `seconds`. */
  | { code: 'timeout'; seconds: number }
  /** A stream's newest record (null: none in the last `windowMs`). */
  | {
      code: 'stream-fresh';
      stream: string;
      shards: number;
      newestAgeMs: number | null;
      windowMs: number;
    }
  /** The order table's newest change (null: the table is empty). */
  | { code: 'mysql-fresh'; newestAgeMs: number | null }
  /** The warehouse's rows and its newest change (null: no row yet). */
  | { code: 'warehouse-fresh'; rows: number; newestAgeMs: number | null }
  /**
   * One hop of the pipeline (cdc, the engine, Firehose or `livewall load`): data waiting upstream and how long its
   * oldest has waited, against the allowed lag; stalled when it waited longer. `from` and `to`
   * are names as the data has them (a table, a stream) or a stage (`warehouse`).
   */
  | ({ code: 'hop-ok' | 'hop-stalled' } & HopFigures)
  /** Whether a process keeps up cannot be told: `silent` (a stage's name) did not answer. */
  | { code: 'cannot-tell'; process: HopFigures['process']; silent: string };

export interface HopFigures {
  /** Who moves the hop: cdc, the engine, Firehose, or `livewall load` in Firehose's stead. */
  process: 'cdc' | 'engine' | 'firehose' | 'load';
  from: string;
  to: string;
  /** Items waiting upstream (0: none), and whether that is a lower bound. */
  waiting: number;
  atLeast: boolean;
  /** Age of the oldest waiting item, ms (null when none waits). */
  oldestAgeMs: number | null;
  allowedMs: number;
  /** Age of the downstream's newest data (null: none within `windowMs`). */
  downstreamAgeMs: number | null;
  windowMs: number;
}

export type HealthCode = HealthWords['code'];

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null;
const count = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x) && x >= 0;
const ageOrNull = (x: unknown): x is number | null => x === null || count(x);
const text = (x: unknown): x is string => typeof x === 'string';
const flag = (x: unknown): x is boolean => typeof x === 'boolean';
const processName = (x: unknown): x is HopFigures['process'] =>
  x === 'cdc' || x === 'engine' || x === 'firehose' || x === 'load';

/** Each field of a code's words and its check: a code's fields are exactly its type's. */
type Fields<W> = { [K in Exclude<keyof W, 'code'>]-?: (x: unknown) => x is W[K] };
/** The words of code C (the hop's two codes share one member of the union). */
type WordsOf<C extends HealthCode, W = HealthWords> = W extends { code: infer K }
  ? C extends K
    ? W
    : never
  : never;

const HOP: Fields<HopFigures> = {
  process: processName,
  from: text,
  to: text,
  waiting: count,
  atLeast: flag,
  oldestAgeMs: ageOrNull,
  allowedMs: count,
  downstreamAgeMs: ageOrNull,
  windowMs: count,
};

const FIELDS: { [C in HealthCode]: Fields<WordsOf<C>> } = {
  'embedded-ok': { orders: count },
  'embedded-lost': { sent: count, seen: count },
  'embedded-failed': {},
  timeout: { seconds: count },
  'stream-fresh': { stream: text, shards: count, newestAgeMs: ageOrNull, windowMs: count },
  'mysql-fresh': { newestAgeMs: ageOrNull },
  'warehouse-fresh': { rows: count, newestAgeMs: ageOrNull },
  'hop-ok': HOP,
  'hop-stalled': HOP,
  'cannot-tell': { process: processName, silent: text },
};

/** The words of a check as sent, or undefined when absent or malformed (the sentence remains). */
export function readHealthWords(x: unknown): HealthWords | undefined {
  if (!isObj(x) || typeof x.code !== 'string' || !Object.hasOwn(FIELDS, x.code)) return undefined;
  const fields: Record<string, (value: unknown) => boolean> = FIELDS[x.code as HealthCode];
  // Only the code's own fields are kept: whatever else came along is dropped.
  const words: Record<string, unknown> = { code: x.code };
  for (const [name, check] of Object.entries(fields)) {
    if (!check(x[name])) return undefined;
    words[name] = x[name];
  }
  // Every field of the code passed its check, so these are that code's words.
  return words as HealthWords;
}

/** One of each code, both branches where a number may be null: for the catalogue tests and fonts. */
export const HEALTH_WORDS_SAMPLES: readonly HealthWords[] = [
  { code: 'embedded-ok', orders: 3 },
  { code: 'embedded-lost', sent: 3, seen: 2 },
  { code: 'embedded-failed' },
  { code: 'timeout', seconds: 15 },
  { code: 'stream-fresh', stream: 'order_ds', shards: 2, newestAgeMs: 4_000, windowMs: 300_000 },
  { code: 'stream-fresh', stream: 'order_ds', shards: 2, newestAgeMs: null, windowMs: 300_000 },
  { code: 'mysql-fresh', newestAgeMs: 180_000 },
  { code: 'mysql-fresh', newestAgeMs: null },
  { code: 'warehouse-fresh', rows: 1200, newestAgeMs: 7_200_000 },
  { code: 'warehouse-fresh', rows: 0, newestAgeMs: null },
  { code: 'cannot-tell', process: 'cdc', silent: 'order_ds' },
  { code: 'cannot-tell', process: 'engine', silent: 'order_ds' },
  { code: 'cannot-tell', process: 'firehose', silent: 'order_ds' },
  { code: 'cannot-tell', process: 'load', silent: 'warehouse' },
  ...(['cdc', 'engine', 'firehose', 'load'] as const).flatMap((process): HealthWords[] => [
    {
      code: 'hop-ok',
      process,
      from: 'order_ds',
      to: 'order_ds',
      waiting: 0,
      atLeast: false,
      oldestAgeMs: null,
      allowedMs: 60_000,
      downstreamAgeMs: null,
      windowMs: 300_000,
    },
    {
      code: 'hop-ok',
      process,
      from: 'order_ds',
      to: 'warehouse',
      waiting: 12,
      atLeast: true,
      oldestAgeMs: 4_000,
      allowedMs: 60_000,
      downstreamAgeMs: 5_000,
      windowMs: 300_000,
    },
    {
      code: 'hop-stalled',
      process,
      from: 'order_ds',
      to: 'order_ds',
      waiting: 12,
      atLeast: false,
      oldestAgeMs: 125_000,
      allowedMs: 60_000,
      downstreamAgeMs: 130_000,
      windowMs: 300_000,
    },
    {
      code: 'hop-stalled',
      process,
      from: 'order_ds',
      to: 'warehouse',
      waiting: 12,
      atLeast: true,
      oldestAgeMs: 125_000,
      allowedMs: 60_000,
      downstreamAgeMs: null,
      windowMs: 300_000,
    },
  ]),
];
