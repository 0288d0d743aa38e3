import { describe, expect, test } from 'vitest';
import {
  HEALTH_WORDS_SAMPLES,
  readHealthWords,
  withHealthWords,
} from '../../src/shared/healthWords';

describe('health words', () => {
  test('every sample of every code reads back as sent', () => {
    for (const w of HEALTH_WORDS_SAMPLES) {
      expect(readHealthWords(JSON.parse(JSON.stringify(w)))).toEqual(w);
    }
  });

  test.each([
    ['no code', {}],
    ['an unknown code', { code: 'reboot' }],
    ['a negative count', { code: 'embedded-ok', orders: -1 }],
    ['a number as text', { code: 'timeout', seconds: '15' }],
    ['an unknown process', { ...HEALTH_WORDS_SAMPLES.at(-1)!, process: 'maxwell' }],
    ['not an object', 'embedded-ok'],
  ])('%s is dropped (the sentence remains)', (_name, words) => {
    expect(readHealthWords(words)).toBeUndefined();
  });

  test('put back on parsed checks by position; malformed or absent words leave a check as it is', () => {
    const checks = [
      { stage: 'embedded pipeline', ok: true, detail: 'ok' },
      { stage: 'order_ds', ok: true, detail: 'fine' },
    ];
    const raw = [
      { ...checks[0], words: { code: 'embedded-ok', orders: 3 } },
      { ...checks[1], words: { code: 'stream-fresh', stream: 1 } },
    ];
    expect(withHealthWords(checks, raw)).toEqual([
      { ...checks[0], words: { code: 'embedded-ok', orders: 3 } },
      checks[1],
    ]);
    expect(withHealthWords(checks, null)).toEqual(checks);
  });
});
