/**
 * The loop's checkpoints (issue 24, finding 4): while an output is down a single snapshot waits
 * on disk, no other is taken, and the input is held only while the state is written.
 */
import { describe, expect, test } from 'vitest';
import { paidInsert } from '../../support/changeEvents';
import { EngineLoop } from '../../../src/main/engine/engineLoop';
import { MetricsEngine } from '../../../src/main/engine/metricsEngine';
import type { Stream, StreamRecord } from '../../../src/main/kinesis/stream';
import type { PendingFile } from '../../../src/main/lib/durableFile';

const NOW = Date.UTC(2026, 11, 7, 12);

/** A stream that acknowledges nothing until up(). */
function downStream(): Stream & { up: () => void; put: (r: readonly StreamRecord[]) => void } {
  let up = false;
  const waiting: (() => void)[] = [];
  return {
    name: 'metric_ds',
    put: () => undefined,
    drained: () => (up ? Promise.resolve() : new Promise<void>((r) => waiting.push(r))),
    close: () => undefined,
    up: () => {
      up = true;
      for (const w of waiting.splice(0)) w();
    },
  };
}

function insert(engine: MetricsEngine, id: number, createdAgoMs = 60_000): void {
  engine.applyRaw(paidInsert(id, NOW - createdAgoMs, NOW));
}

describe('EngineLoop checkpoints', () => {
  test('an output down: one snapshot waits, none other is taken, the input flows meanwhile', async () => {
    const engine = new MetricsEngine({ timeZone: 'UTC', dbTimeZone: 'UTC', now: () => NOW });
    const metrics = downStream();
    const events: string[] = [];
    let paused = false;
    const loop = new EngineLoop({
      engine,
      metrics,
      checkpoint: {
        intervalMs: 60_000,
        pause: async () => {
          paused = true;
          events.push('pause');
        },
        resume: () => {
          paused = false;
          events.push('resume');
        },
        write: async (): Promise<PendingFile> => {
          const lines = [...engine.stateLines()];
          events.push(`write ${lines.length}`);
          return {
            commit: async () => void events.push('commit'),
            discard: async () => void events.push('discard'),
          };
        },
      },
    });
    insert(engine, 1);
    const first = loop.checkpoint();
    // The write is done and the input runs again while the output is still down.
    await new Promise((r) => setImmediate(r));
    expect(events).toEqual(['pause', expect.stringMatching(/^write \d+$/), 'resume']);
    expect(paused).toBe(false);
    insert(engine, 2);
    // A second request while the first waits is the same checkpoint, not a new snapshot.
    expect(loop.checkpoint()).toBe(first);
    expect(events.filter((e) => e.startsWith('write'))).toHaveLength(1);
    metrics.up();
    expect(await first).toBe(true);
    expect(events.at(-1)).toBe('commit');
  });

  test('on stop, a checkpoint whose outputs never answer is given up and the previous stays', async () => {
    const engine = new MetricsEngine({ timeZone: 'UTC', dbTimeZone: 'UTC', now: () => NOW });
    const metrics = downStream();
    const events: string[] = [];
    const loop = new EngineLoop({
      engine,
      metrics,
      checkpoint: {
        intervalMs: 60_000,
        pause: async () => undefined,
        resume: () => undefined,
        write: async () => ({
          commit: async () => void events.push('commit'),
          discard: async () => void events.push('discard'),
        }),
        failed: (s) => events.push(s),
      },
    });
    insert(engine, 1);
    const waiting = loop.checkpoint();
    expect(await loop.finalCheckpoint(10)).toBe(false);
    expect(await waiting).toBe(false);
    expect(events.filter((e) => e === 'discard')).toHaveLength(2);
    expect(events).not.toContain('commit');
    expect(events.some((e) => /previous checkpoint stays/.test(e))).toBe(true);
  });

  test('while catching up a backlog, emits come at most every 5 s; a checkpoint still emits', async () => {
    const engine = new MetricsEngine({ timeZone: 'UTC', dbTimeZone: 'UTC', now: () => NOW });
    const put: number[] = [];
    const metrics: Stream = {
      name: 'metric_ds',
      put: (records) => void put.push(records.length),
      drained: () => Promise.resolve(),
      close: () => undefined,
    };
    const loop = new EngineLoop({ engine, metrics, checkpoint: null, catchingUp: () => true });
    insert(engine, 1);
    loop.emit();
    expect(put).toHaveLength(1);
    insert(engine, 2);
    loop.emit(); // within 5 s of the last: held, the engine goes on coalescing
    expect(put).toHaveLength(1);
    expect(engine.undrained).toBeGreaterThan(0);
    await loop.finalCheckpoint(1_000);
    expect(put).toHaveLength(2);
  });

  test('while catching up, the minutes older than two hours wait until the input has caught up', () => {
    const engine = new MetricsEngine({ timeZone: 'UTC', dbTimeZone: 'UTC', now: () => NOW });
    const put: StreamRecord[] = [];
    const metrics: Stream = {
      name: 'metric_ds',
      put: (records) => void put.push(...records),
      drained: () => Promise.resolve(),
      close: () => undefined,
    };
    let behind = true;
    const loop = new EngineLoop({
      engine,
      metrics,
      checkpoint: null,
      catchingUp: () => behind,
      now: () => NOW,
    });
    insert(engine, 1, 3 * 3_600_000); // 09:00, three hours ago
    insert(engine, 2, 60_000); // 11:59
    loop.emit();
    const minutes = (): number[] =>
      put
        .map((r) => JSON.parse(r.data as string) as { window: string; start: number })
        .filter((m) => m.window === '1m')
        .map((m) => m.start);
    // The day's groups and the recent minute went out; the old minute is held, still dirty.
    expect(put.some((r) => (r.data as string).includes('"window":"1d"'))).toBe(true);
    expect(new Set(minutes())).toEqual(new Set([NOW - 60_000]));
    expect(engine.undrained).toBeGreaterThan(0);
    behind = false;
    put.length = 0;
    loop.emit();
    expect(new Set(minutes())).toEqual(new Set([NOW - 3 * 3_600_000]));
    expect(engine.undrained).toBe(0);
  });
});
