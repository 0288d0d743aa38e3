import { describe, expect, test } from 'vitest';
import {
  formatBurstProgress,
  formatBurstSummary,
  formatMoney,
  healthDetail,
} from '../../../src/renderer/src/lib/format';
import { en } from '../../../src/renderer/src/i18n/en';
import { zh } from '../../../src/renderer/src/i18n/zh';
import { zhEn } from '../../../src/renderer/src/i18n/zhEn';
import { burstProgress } from '../fixtures';

const p = burstProgress;

describe('burst progress line', () => {
  test.each([
    ['before the first push', null, 1000, 'inserted 0 of 1,000'],
    [
      'with updates and steps left',
      p(),
      1000,
      'inserted 640 of 1,000 · updated 120 · 35 steps left',
    ],
    [
      'one step left',
      p({ pendingSteps: 1 }),
      1000,
      'inserted 640 of 1,000 · updated 120 · 1 step left',
    ],
    ['zeros left out', p({ updated: 0, pendingSteps: 0 }), 1000, 'inserted 640 of 1,000'],
    [
      'failures shown',
      p({ inserted: 12_000, requested: 20_000, failed: 3, updated: 0, pendingSteps: 0 }),
      20_000,
      'inserted 12,000 of 20,000 · failed 3',
    ],
  ])('%s', (_name, progress, requested, want) => {
    expect(formatBurstProgress(progress, requested)).toBe(want);
  });

  test('the result line stays as the e2e tests read it', () => {
    expect(formatBurstSummary({ inserted: 1000, updated: 0, failed: 0 })).toBe(
      'inserted 1000, updated 0, failed 0',
    );
  });
});

describe('money', () => {
  // The engine writes aov unrounded (gmv / paid_orders); the screen shows cents.
  test.each([
    [30.01 / 3, '10.00'],
    [100 / 3, '33.33'],
    [2 / 3, '0.67'],
    [1234.5, '1,234.50'],
    [null, '—'],
  ])('%s shows as %s', (value, want) => {
    expect(formatMoney(value)).toBe(want);
  });
});

describe('health details in the screen language', () => {
  const stalled = {
    stage: 'cdc',
    ok: false,
    detail: 'cdc (Maxwell) has shipped nothing to order_ds for 2 min …: start `livewall cdc` …',
    words: {
      code: 'hop-stalled' as const,
      process: 'cdc' as const,
      from: 'MySQL demo.order',
      to: 'order_ds',
      waiting: 12,
      atLeast: false,
      oldestAgeMs: 125_000,
      allowedMs: 60_000,
      downstreamAgeMs: 130_000,
      windowMs: 300_000,
    },
  };

  test('zh words the code and numbers, remedy included; en and zh+en keep the server sentence', () => {
    const text = healthDetail(stalled, zh);
    expect(text).toBe(
      '变更捕获已有 2 分钟没有向 order_ds 写入任何数据，而 MySQL demo.order 有 12 条在等待（最早的已等待 2 分钟，允许 60 秒）：请启动变更捕获进程或查看其日志；若日志说找不到起始的日志文件，说明记下的位置已被清除，请从当前位置重新开始',
    );
    expect(healthDetail(stalled, en)).toBe(stalled.detail);
    expect(healthDetail(stalled, zhEn)).toBe(stalled.detail);
  });

  test('zh never shows an uncoded English sentence: it says passed, or where to read why', () => {
    const { words: _w, ...uncoded } = stalled;
    void _w;
    expect(healthDetail(uncoded, zh)).toBe(zh.health.detailUnworded);
    expect(healthDetail({ ...uncoded, ok: true }, zh)).toBe('检查通过');
  });
});
