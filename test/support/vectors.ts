/**
 * test/vectors/*.json: the one statement of the engine's rules, read by these tests and by the
 * Flink job's JUnit tests (flink/…/Vectors.java), so the two engines are held to the same cases.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A vectors file, parsed (its `about` explains the fields). */
export function readVectors<T>(file: string): T {
  return JSON.parse(readFileSync(join(import.meta.dirname, '../vectors', file), 'utf8')) as T;
}

/** An ISO 8601 instant of the vectors as epoch ms. */
export const instant = (iso: string): number => {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`not an instant: ${iso}`);
  return ms;
};
