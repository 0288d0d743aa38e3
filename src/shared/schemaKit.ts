/**
 * The building blocks every schema of livewall uses (valibot: small, tree-shaken, the same in main
 * and the renderer). A parse ends in a `Result` whose error is one sentence: the first issue's
 * message, prefixed by the name of each entity it sits in ("snapshot: metric record: …").
 */
import * as v from 'valibot';
import { fail, ok, type Result } from './result';

export type Obj = Record<string, unknown>;
/** A schema from unknown input to `T`. */
export type Schema<T> = v.GenericSchema<unknown, T>;

export const isObj = (x: unknown): x is Obj =>
  typeof x === 'object' && x !== null && !Array.isArray(x);
export const isFiniteNumber = (x: unknown): x is number =>
  typeof x === 'number' && Number.isFinite(x);
const isCount = (x: unknown): x is number => Number.isInteger(x) && typeof x === 'number' && x >= 0;

/** A plain object (not an array, not null). */
export const plainObject = (message: string): Schema<Obj> => v.custom<Obj>(isObj, message);

/** A finite number. */
export const finite = (message: string): Schema<number> =>
  v.custom<number>(isFiniteNumber, message);

/** A whole number. */
export const integer = (message: string): Schema<number> =>
  v.custom<number>((x) => typeof x === 'number' && Number.isInteger(x), message);

/** A string with at least one character. */
export const nonEmptyText = (message: string): Schema<string> =>
  v.custom<string>((x) => typeof x === 'string' && x !== '', message);

/** A whole number ≥ 0. */
export const count = (message: string): Schema<number> => v.custom<number>(isCount, message);

export const FIRST_ISSUE: v.Config<v.BaseIssue<unknown>> = { abortEarly: true };

/** Runs `schema` and gives the first issue's message, or the value. */
export function firstIssue<T>(schema: Schema<T>, input: unknown): Result<T> {
  const r = schema['~run']({ value: input }, FIRST_ISSUE);
  if (r.issues || !r.typed) return fail(r.issues?.[0]?.message ?? 'invalid');
  return ok(r.value);
}

type Run<T> = Schema<T>['~run'];

/**
 * A schema that runs `base` through `run`: the way to reword issues without a second parse, so
 * the hot paths (every change event, every metric record) pay nothing for the sentences.
 */
function around<T>(base: Schema<T>, run: (next: Run<T>) => Run<T>): Schema<T> {
  const next: Run<T> = (dataset, config) => base['~run'](dataset, config);
  return { ...base, '~run': run(next) };
}

/** Runs `schema` on `value` inside another schema's run (no Result, no copies). */
export function runOn<T>(
  schema: Schema<T>,
  value: unknown,
  config: v.Config<v.BaseIssue<unknown>>,
): ReturnType<Run<T>> {
  return schema['~run']({ value }, config);
}

/** The first issue's message of a run, or null when it passed. */
export function issueOf(dataset: ReturnType<Run<unknown>>): string | null {
  return dataset.issues ? (dataset.issues[0]?.message ?? 'invalid') : null;
}

/**
 * A schema from a function that returns the value or a sentence: for the contracts whose shape
 * depends on their content (Maxwell's bootstrap markers, the workshop's short metric record).
 */
export function fromFunction<T>(parse: (value: unknown) => Result<T>): Schema<T> {
  const base = v.custom<T>(() => true);
  return around(base, () => (dataset, config) => {
    const r = parse(dataset.value);
    if (r.ok) return { typed: true, value: r.value };
    return v.custom<T>(() => false, r.error)['~run'](dataset, config);
  });
}

/** An entity named `what`: its issues read "what: …", nested entities included. */
export function entity<T>(what: string, schema: Schema<T>): Schema<T> {
  return around(schema, (next) => (dataset, config) => {
    const out = next(dataset, config);
    if (out.issues) {
      for (const [k, issue] of out.issues.entries()) {
        out.issues[k] = { ...issue, message: `${what}: ${issue.message}` };
      }
    }
    return out;
  });
}

export type ObjectOutput<E extends v.ObjectEntries> = v.InferOutput<v.ObjectSchema<E, undefined>>;

/**
 * A plain object with `entries` (unknown keys dropped). Valibot reports a missing key on the
 * object itself; the key's own schema is asked instead, so its sentence is the one given.
 */
export function fields<E extends v.ObjectEntries>(
  entries: E,
  notObject = 'not a JSON object',
): Schema<ObjectOutput<E>> {
  const whole: Schema<ObjectOutput<E>> = v.object(entries);
  const object = plainObject(notObject);
  const slow: Run<ObjectOutput<E>> = (dataset, config) => {
    if (!isObj(dataset.value)) {
      const refused = object['~run'](dataset, config);
      if (refused.issues) return { typed: false, value: refused.value, issues: refused.issues };
    }
    const out = whole['~run'](dataset, config);
    const issue = out.issues?.[0];
    const key = issue?.path?.[0]?.key;
    if (issue && issue.type === 'object' && typeof key === 'string' && entries[key]) {
      const own = runOn(entries[key], undefined, config).issues?.[0];
      if (own && out.issues) out.issues[0] = { ...issue, message: own.message };
    }
    return out;
  };
  return around(whole, () => slow);
}

/** An object entity: "what: not a JSON object" unless a plain object, then `entries`. */
export function objectEntity<E extends v.ObjectEntries>(
  what: string,
  entries: E,
): Schema<ObjectOutput<E>> {
  return entity(what, fields(entries));
}

/** A list whose items are told apart by their index ("item 2 …"). */
export function listOf<T>(item: Schema<T>): Schema<T[]> {
  return fromFunction((list) => {
    if (!Array.isArray(list)) return fail('not a JSON array');
    const out: T[] = [];
    for (const [i, x] of list.entries()) {
      const r = runOn(item, x, FIRST_ISSUE);
      const issue = issueOf(r);
      if (issue !== null || !r.typed) return fail(`item ${i} ${issue ?? 'invalid'}`);
      out.push(r.value);
    }
    return ok(out);
  });
}

export const listEntity = <T>(what: string, item: Schema<T>): Schema<T[]> =>
  entity(what, listOf(item));

/** What jsonValue answers for text that is not JSON. */
export const NOT_JSON: unique symbol = Symbol('not JSON');

/**
 * A string is JSON text, read; anything else is taken as the value itself. No Result is made:
 * the hot readers call it once per record.
 */
export function jsonValue(input: unknown): unknown {
  if (typeof input !== 'string') return input;
  try {
    return JSON.parse(input) as unknown;
  } catch {
    return NOT_JSON;
  }
}

/**
 * Parses with `schema`; a string is JSON text first ("what: not JSON" when it is not), anything
 * else is taken as the value itself. Never throws.
 */
export function parseWith<T>(schema: Schema<T>, input: unknown, what: string): Result<T> {
  const value = jsonValue(input);
  if (value === NOT_JSON) return fail(`${what}: not JSON`);
  return firstIssue(schema, value);
}
