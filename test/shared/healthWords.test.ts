import { describe, expect, test } from 'vitest';
import { HEALTH_WORDS_SAMPLES, readHealthWords } from '../../src/shared/healthWords';
import { healthChecks } from '../../src/shared/contracts';
import { parseWith } from '../../src/shared/schemaKit';

describe('health words', () => {
  test('every sample of every code reads back as sent', () => {
    for (const w of HEALTH_WORDS_SAMPLES) {
      expect(readHealthWords(JSON.parse(JSON.stringify(w)))).toEqual(w);
    }
  });

  test.each([
    ['no code', {}],
    ['an unknown code', { code: 'reboot' }],
    ["an object's own method name as its code", { code: 'toString' }],
    ['a field missing', { code: 'embedded-lost', sent: 3 }],
    ['a negative count', { code: 'embedded-ok', orders: -1 }],
    ['a number as text', { code: 'timeout', seconds: '15' }],
    ['an unknown process', { ...HEALTH_WORDS_SAMPLES.at(-1)!, process: 'maxwell' }],
    ['not an object', 'embedded-ok'],
  ])('%s is dropped (the sentence remains)', (_name, words) => {
    expect(readHealthWords(words)).toBeUndefined();
  });

  test("fields that are not the code's own are dropped", () => {
    expect(readHealthWords({ code: 'timeout', seconds: 15, orders: 3 })).toEqual({
      code: 'timeout',
      seconds: 15,
    });
  });

  test("the health checks' schema keeps words as sent; malformed or absent words leave the sentence", () => {
    const checks = [
      { stage: 'embedded pipeline', ok: true, detail: 'ok' },
      { stage: 'order_ds', ok: true, detail: 'fine' },
      { stage: 'mysql', ok: false, detail: 'down' },
    ];
    const raw = [
      { ...checks[0], words: { code: 'embedded-ok', orders: 3 } },
      { ...checks[1], words: { code: 'stream-fresh', stream: 1 } },
      checks[2],
    ];
    const parsed = parseWith(healthChecks, JSON.stringify(raw), 'health checks');
    expect(parsed).toEqual({
      ok: true,
      value: [{ ...checks[0], words: { code: 'embedded-ok', orders: 3 } }, checks[1], checks[2]],
    });
    if (!parsed.ok) return;
    expect(parsed.value[1]!.words).toBeUndefined();
    for (const w of HEALTH_WORDS_SAMPLES) {
      const one = parseWith(healthChecks, [{ ...checks[0], words: w }], 'health checks');
      expect(one.ok && one.value[0]!.words).toEqual(w);
    }
  });
});
