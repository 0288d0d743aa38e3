import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { HEALTH_WORDS_SAMPLES } from '@shared/healthWords';
import { LANGUAGES } from '@shared/language';
import { PIPELINE_ORDER } from '@shared/stages';
import { formatAge, formatDate } from '../../../src/renderer/src/lib/format';
import { CATALOGUES } from '../../../src/renderer/src/i18n/catalogues';
import { en } from '../../../src/renderer/src/i18n/en';
import { zh } from '../../../src/renderer/src/i18n/zh';
import { zhEn } from '../../../src/renderer/src/i18n/zhEn';

/** Every leaf of a catalogue as `path → string` (functions called with sample arguments). */
function leaves(value: unknown, path = ''): Map<string, string> {
  const out = new Map<string, string>();
  if (typeof value === 'string') out.set(path, value);
  else if (typeof value === 'function' && path.endsWith('health.words')) {
    // A check's code and numbers: every code (null: the language shows the server's sentence).
    const f = value as (w: unknown) => string | null;
    HEALTH_WORDS_SAMPLES.forEach((w, i) => {
      const r = f(w);
      if (r !== null) out.set(`${path}.${w.code}.${i}`, r);
    });
  } else if (typeof value === 'function') {
    const f = value as (...a: unknown[]) => unknown;
    const r =
      f.length === 1 && path.endsWith('date')
        ? f({ year: 2026, month: 11, day: 29, weekday: 0 })
        : f('7', '9', '3');
    out.set(path, String(r));
  } else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      for (const [p, s] of leaves(v, path ? `${path}.${k}` : k)) out.set(p, s);
    }
  }
  return out;
}

const CJK = /[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]/;
const WORD = /[A-Za-z]{2,}/;
const PROPER_NAMES = /\bFlink\b/g;

describe('catalogues', () => {
  test('every language has every key, and no empty text', () => {
    // Health words are worded only where the server's English sentence is not shown.
    const keys = [...leaves(zhEn).keys()].sort();
    for (const lang of LANGUAGES) {
      const l = leaves(CATALOGUES[lang]);
      expect([...l.keys()].filter((k) => !k.startsWith('health.words.')).sort(), lang).toEqual(
        keys,
      );
      for (const [k, v] of l) expect(v.trim(), `${lang} ${k}`).not.toBe('');
    }
  });

  test('zh has no English word; en has no Chinese', () => {
    for (const [k, v] of leaves(zh)) {
      if (k === 'locale') continue;
      // A product's own name stays as it is written in Chinese too (Flink 作业).
      // A stream's name in a health sentence is data, as a city's name is.
      expect(v.replace(PROPER_NAMES, '').replaceAll('order_ds', ''), `zh ${k}`).not.toMatch(WORD);
    }
    for (const [k, v] of leaves(en)) expect(v, `en ${k}`).not.toMatch(CJK);
    // Every code the server sends has its Chinese sentence (stream names are data, as cities are).
    const worded = [...leaves(zh).keys()].filter((k) => k.startsWith('health.words.'));
    expect(worded).toHaveLength(HEALTH_WORDS_SAMPLES.length);
  });

  test('one name per thing: sold orders (paid, shipping, finished) are not the paid status', () => {
    for (const m of [zh, en]) {
      expect(m.kpi.soldOrders).not.toBe(m.status.names.paid);
      expect(m.kpi.cancelled).not.toBe(m.kpi.orders);
    }
    expect(zhEn.kpi.soldOrders).toBe('成交单 Sold orders');
    expect(zhEn.status.names.paid).toBe('已支付 Paid');
    expect(zhEn.status.names.cancel).toBe('已取消 Cancelled');
  });
});

describe('dates and ages', () => {
  // Local time: the date the wall's clock shows.
  const sunday = new Date(2026, 10, 29, 13, 5).getTime();
  test.each([
    ['zh', zh, '2026年11月29日 周日'],
    ['en', en, 'Sun 29 Nov 2026'],
    ['zh+en', zhEn, '2026年11月29日 周日'],
  ])('%s', (_lang, m, want) => {
    expect(formatDate(sunday, m)).toBe(want);
  });

  test.each([
    [3_000, '3 秒前更新', 'updated 3 s ago'],
    [300_000, '5 分钟前更新', 'updated 5 min ago'],
    [3 * 3_600_000, '3 小时前更新', 'updated 3 h ago'],
  ])('%d ms ago', (ms, zhText, enText) => {
    expect(formatAge(ms, zh)).toBe(zhText);
    expect(formatAge(ms, en)).toBe(enText);
  });
});

describe('the bundled font', () => {
  test('covers every character the catalogues can show (remake it with the subset script)', () => {
    const covered = new Set(
      readFileSync(
        join(__dirname, '../../../src/renderer/src/assets/fonts/characters.txt'),
        'utf8',
      ),
    );
    for (const lang of LANGUAGES) {
      for (const [k, v] of leaves(CATALOGUES[lang])) {
        const missing = [...v].filter((c) => !covered.has(c));
        expect(missing, `${lang} ${k}: ${v}`).toEqual([]);
      }
    }
  });

  test('every stage health can name has a chip label in every catalogue (never a raw name)', () => {
    // `screen` is no line of its own: the screen's stream is checked as `kinesis <stream>`.
    for (const [lang, m] of Object.entries(CATALOGUES))
      for (const stage of PIPELINE_ORDER.filter((s) => s !== 'screen'))
        expect(m.pipeline.stages[stage], `${lang} ${stage}`).toBeTruthy();
  });
});
