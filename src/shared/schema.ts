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
  v.pipe(v.number(message), v.finite(message));

/** A whole number ≥ 0. */
export const count = (message: string): Schema<number> => v.custom<number>(isCount, message);

/** Runs `schema` and gives the first issue's message, or the value. */
export function firstIssue<T>(schema: Schema<T>, input: unknown): Result<T> {
  const r = v.safeParse(schema, input, { abortEarly: true });
  return r.success ? ok(r.output) : fail(r.issues[0]?.message ?? 'invalid');
}

/** An entity named `what`: its issues read "what: …", nested entities included. */
export function entity<T>(what: string, schema: Schema<T>): Schema<T> {
  return v.pipe(
    v.unknown(),
    v.rawTransform<unknown, T>(({ dataset, addIssue, NEVER }) => {
      const r = firstIssue(schema, dataset.value);
      if (r.ok) return r.value;
      addIssue({ message: `${what}: ${r.error}` });
      return NEVER;
    }),
  );
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
  const whole = v.object(entries);
  return v.pipe(
    plainObject(notObject),
    v.rawTransform<Obj, ObjectOutput<E>>(({ dataset, addIssue, NEVER }) => {
      const r = v.safeParse(whole, dataset.value, { abortEarly: true });
      if (r.success) return r.output;
      const issue = r.issues[0];
      const key = issue.path?.[0]?.key;
      const own =
        issue.type === 'object' && typeof key === 'string' && entries[key]
          ? v.safeParse(entries[key], undefined, { abortEarly: true })
          : null;
      addIssue({ message: own && !own.success ? own.issues[0].message : issue.message });
      return NEVER;
    }),
  );
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
  return v.pipe(
    v.array(v.unknown(), 'not a JSON array'),
    v.rawTransform<unknown[], T[]>(({ dataset, addIssue, NEVER }) => {
      const out: T[] = [];
      for (const [i, x] of dataset.value.entries()) {
        const r = firstIssue(item, x);
        if (!r.ok) {
          addIssue({ message: `item ${i} ${r.error}` });
          return NEVER;
        }
        out.push(r.value);
      }
      return out;
    }),
  );
}

export const listEntity = <T>(what: string, item: Schema<T>): Schema<T[]> =>
  entity(what, listOf(item));

/**
 * Parses with `schema`; a string is JSON text first ("what: not JSON" when it is not), anything
 * else is taken as the value itself. Never throws.
 */
export function parseWith<T>(schema: Schema<T>, input: unknown, what: string): Result<T> {
  let value = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch {
      return fail(`${what}: not JSON`);
    }
  }
  return firstIssue(schema, value);
}
