/**
 * The loop's checkpoints (issue 24, finding 4): while an output is down a single snapshot waits
 * on disk, no other is taken, and the input is held only while the state is written.
 */
import { describe, expect, test } from 'vitest';
import { formatDbDatetime } from '../../../src/shared/time';
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

function insert(engine: MetricsEngine, id: number): void {
  const t = formatDbDatetime(NOW - 60_000, 'UTC');
  engine.applyRaw(
    JSON.stringify({
      database: 'demo',
      table: 'order',
      type: 'insert',
      ts: NOW / 1000,
      data: {
        order_id: id,
        user_mail: 'a@x',
        status: 'paid',
        good_count: 1,
        city: 'X',
        amount: 1,
        create_time: t,
        update_time: t,
      },
    }),
  );
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
});
