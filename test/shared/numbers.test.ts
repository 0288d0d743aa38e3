/**
 * How both engines print numbers and strings: test/vectors/numbers.json, which the Flink job's
 * JsJsonTest reads too. The TypeScript engine writes with JSON.stringify, so here the vectors
 * are checked against it: the Java copy (JsJson) is held to what JavaScript prints.
 */
import { describe, expect, test } from 'vitest';
import { readVectors } from '../support/vectors';

interface NumberVectors {
  number: { name: string; input: string; text: string }[];
  cents: { name: string; cents: number; text: string }[];
  aov: { name: string; cents: number; paid: number; text: string }[];
  string: { name: string; input: string; text: string }[];
}

const v = readVectors<NumberVectors>('numbers.json');
const named = <T extends { name: string }>(cases: T[]): [string, T][] =>
  cases.map((c) => [c.name, c]);

describe('test/vectors/numbers.json', () => {
  test.each(named(v.number))('number %s', (_, c) => {
    expect(JSON.stringify(Number(c.input))).toBe(c.text);
  });

  test.each(named(v.cents))('cents %s', (_, c) => {
    expect(JSON.stringify(c.cents / 100)).toBe(c.text);
  });

  test.each(named(v.aov))('aov %s', (_, c) => {
    // As the engine's derived(): unrounded, 0 with nothing paid.
    expect(JSON.stringify(c.paid === 0 ? 0 : c.cents / 100 / c.paid)).toBe(c.text);
  });

  test.each(named(v.string))('string: %s', (_, c) => {
    expect(JSON.stringify(c.input)).toBe(c.text);
  });
});
