/**
 * The Kinesis side of the CLI as a user runs it, against kinesalite: `livewall tail` on the
 * workshop's streams, and `livewall web --source kinesis` with its screen in Chromium.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, onTestFinished, test } from 'vitest';
import type { MetricRecord, Snapshot } from '../../src/shared/contracts';
import { dayStart, machineTimeZone } from '../../src/shared/time';
import { aggregate } from '../../src/main/kinesis/kpl';
import { announceEngine } from '../../src/main/kinesis/engineTags';
import { createStream, kinesisClient } from '../support/kinesalite';
import { useChromium, useKinesalite } from '../support/lifecycle';
import { freePort } from '../support/ports';
import { spawnLivewall } from '../support/livewall';
import { waitFor, type ManagedProcess } from '../support/processes';
import { putRaw } from '../support/metrics';

const kinesalite = useKinesalite({ shardLimit: 50 });
const browser = useChromium();
const enc = new TextEncoder();
let n = 0;

function livewall(args: string[]): ManagedProcess {
  const p = spawnLivewall(args);
  onTestFinished(() => p.stop());
  return p;
}

/** `livewall web` reading `stream` from kinesalite on a free port. */
async function webOn(
  stream: string,
  extra: string[] = [],
): Promise<{ base: string; p: ManagedProcess }> {
  const port = await freePort();
  const p = livewall([
    'web',
    '--source',
    'kinesis',
    '--stream',
    stream,
    '--endpoint',
    kinesalite().endpoint,
    '--port',
    String(port),
    ...extra,
  ]);
  return { base: `http://127.0.0.1:${port}`, p };
}

async function stream(shards = 2): Promise<string> {
  const name = `e2e_${++n}_ds`;
  await createStream(kinesisClient(kinesalite().endpoint), name, shards);
  return name;
}

const today = (): number => dayStart(Date.now(), machineTimeZone());
const metric = (name: string, value: number, dims: MetricRecord['dims'] = {}): MetricRecord => ({
  name,
  value,
  occur: Date.now(),
  window: '1d',
  start: today(),
  dims,
});
const entry = (data: string | Uint8Array, key = 'k') => ({
  PartitionKey: key,
  Data: typeof data === 'string' ? enc.encode(data) : data,
});

describe('livewall tail', () => {
  test('prints decoded records one per line: contract 2, the workshop short form, KPL aggregates; skips the malformed', async () => {
    const name = (await stream()).replace('_ds', '_metric_ds');
    await createStream(kinesisClient(kinesalite().endpoint), name, 2);
    // Exactly the shape the workshop's Flink job writes.
    const short = { name: 'amount', value: 12.5, occur: Date.now() };
    await putRaw(kinesisClient(kinesalite().endpoint), name, [
      entry(JSON.stringify(metric('orders', 3))),
      entry(JSON.stringify(short)),
      entry('this is not json'),
      entry(
        aggregate([
          {
            partitionKey: 'a',
            data: enc.encode(JSON.stringify(metric('orders', 4, { city: '西安' }))),
          },
          { partitionKey: 'b', data: enc.encode(JSON.stringify(metric('gmv', 9))) },
        ]),
      ),
    ]);
    const p = livewall([
      'tail',
      name,
      '--endpoint',
      kinesalite().endpoint,
      '--from',
      'trim',
      '--limit',
      '4',
    ]);
    const exit = await p.exited;
    expect(exit.code).toBe(0);
    const lines = p
      .output()
      .split('\n')
      .filter((l) => l.startsWith('{'));
    expect(lines).toHaveLength(4);
    const parsed = lines.map((l) => JSON.parse(l) as MetricRecord);
    expect(parsed.map((r) => r.value).sort()).toEqual([12.5, 3, 4, 9].sort());
    // The short form is printed as the full contract 2 record it means.
    expect(parsed.find((r) => r.value === 12.5)).toEqual({
      ...short,
      window: '1d',
      start: dayStart(short.occur, machineTimeZone()),
      dims: {},
    });
    expect(parsed.find((r) => r.value === 4)?.dims).toEqual({ city: '西安' });
    expect(p.output()).toMatch(
      /livewall tail: skipped a malformed record \(shardId-\d+, \d+\): metric record: not JSON/,
    );
  });

  test('--raw prints the data as it is; order_ds records are read as Maxwell change events', async () => {
    const name = (await stream(1)).replace('_ds', '_order_ds');
    await createStream(kinesisClient(kinesalite().endpoint), name, 1);
    const event = {
      database: 'demo',
      table: 'order',
      type: 'insert',
      ts: 1732440000,
      xid: 1,
      commit: true,
      data: {
        order_id: 7,
        user_mail: 'pony@qq.com',
        status: 'unpaid',
        good_count: 2,
        city: '西安',
        amount: 99.5,
        create_time: '2026-11-24 10:00:01',
        update_time: '2026-11-24 10:00:01',
      },
    };
    const text = JSON.stringify(event, null, 1);
    await putRaw(kinesisClient(kinesalite().endpoint), name, [
      entry(text, '7'),
      entry('{"database":"demo"}', '8'),
    ]);
    const raw = livewall([
      'tail',
      name,
      '--endpoint',
      kinesalite().endpoint,
      '--from',
      'trim',
      '--limit',
      '2',
      '--raw',
    ]);
    await raw.exited;
    expect(raw.output()).toContain(`${text}\n{"database":"demo"}\n`);
    const decoded = livewall([
      'tail',
      name,
      '--endpoint',
      kinesalite().endpoint,
      '--from',
      'trim',
      '--limit',
      '1',
    ]);
    await decoded.exited;
    expect(decoded.output()).toContain(`${JSON.stringify(event)}\n`);
  });

  test('an unknown stream is one clear sentence on stderr, and tail exits 1', async () => {
    const p = livewall(['tail', 'no_such_ds', '--endpoint', kinesalite().endpoint]);
    const exit = await p.exited;
    expect(exit.code).toBe(1);
    expect(p.output()).toMatch(
      /livewall tail: stream "no_such_ds" does not exist \(endpoint http:\/\/127\.0\.0\.1:\d+, region us-east-1\): create it with livewall streams create no_such_ds/,
    );
    expect(p.output()).not.toMatch(/\n\s+at /); // no stack trace
  });
});

describe('livewall web --source kinesis', () => {
  test('the screen shows metric_ds; bursts are refused with a reason; silence shows the stale banner', async () => {
    const name = await stream(2);
    const dir = mkdtempSync(join(tmpdir(), 'lwcfg-'));
    writeFileSync(join(dir, 'livewall.config.json'), JSON.stringify({ staleAfterSeconds: 2 }));
    await putRaw(kinesisClient(kinesalite().endpoint), name, [
      entry(JSON.stringify(metric('orders', 1234))),
      entry(JSON.stringify(metric('gmv', 56789.5))),
      entry(JSON.stringify(metric('paid_orders', 1000))),
    ]);
    // The engine that fills the stream named itself there, as livewall flink does on start.
    await announceEngine(kinesisClient(kinesalite().endpoint), [name], {
      kind: 'flink',
      detail: 'Flink 1.19.3 parallelism 2 on wall-pc',
      since: Date.now(),
    });
    const { base, p } = await webOn(name, ['--config', join(dir, 'livewall.config.json')]);
    await waitFor(
      'the snapshot',
      async () => {
        const snap = (await (await fetch(`${base}/api/snapshot`)).json()) as Snapshot;
        return snap.metrics.length === 3;
      },
      { timeoutMs: 20_000, process: p },
    );
    const burst = await fetch(`${base}/api/burst`, { method: 'POST', body: '{"orders":10}' });
    expect(burst.status).toBe(409);
    expect(((await burst.json()) as { error: string }).error).toMatch(
      /^Bursts need somewhere to write orders: configure MySQL/,
    );

    const page = await browser().newPage({ viewport: { width: 1920, height: 1080 } });
    onTestFinished(() => page.close());
    await page.goto(base);
    await expect
      .poll(() => page.getByTestId('kpi-orders').textContent(), { timeout: 10_000 })
      .toBe('1,234');
    await expect.poll(() => page.getByTestId('kpi-gmv').textContent()).toBe('56,789.50');
    await expect.poll(() => page.getByTestId('source-engine').textContent()).toBe(' · Flink 作业');
    expect(await page.getByTestId('source-status').getAttribute('title')).toContain(
      'Flink 1.19.3 parallelism 2 on wall-pc',
    );
    // No MySQL configured: the panel says so and offers nothing that would be refused.
    await expect.poll(() => page.getByTestId('burst-nowhere').count()).toBe(1);
    expect(await page.getByTestId('burst-1000').isDisabled()).toBe(true);
    await expect.poll(() => page.getByTestId('stale-banner').count(), { timeout: 15_000 }).toBe(1);
    expect(await page.getByTestId('stale-banner').textContent()).toMatch(/\d{2}:\d{2}:\d{2}/);
  });

  test("a stream holding only the workshop job's records shows today's sales on the GMV tile", async () => {
    const name = await stream(1);
    const now = Date.now();
    // Exactly what the workshop's Flink job writes: a running total, so the newest one counts.
    await putRaw(kinesisClient(kinesalite().endpoint), name, [
      entry(JSON.stringify({ name: 'amount', value: 1000, occur: now - 5_000 })),
      entry(JSON.stringify({ name: 'amount', value: 1234.5, occur: now })),
    ]);
    const { base, p } = await webOn(name);
    let snap: Snapshot | null = null;
    await waitFor(
      'the workshop total in the snapshot',
      async () => {
        snap = (await (await fetch(`${base}/api/snapshot`)).json()) as Snapshot;
        return snap.metrics.some((r) => r.value === 1234.5);
      },
      { timeoutMs: 20_000, process: p },
    );
    expect(snap!.metrics).toEqual([
      { name: 'amount', value: 1234.5, occur: now, window: '1d', start: today(), dims: {} },
    ]);

    const page = await browser().newPage({ viewport: { width: 1920, height: 1080 } });
    onTestFinished(() => page.close());
    await page.goto(base);
    await expect
      .poll(() => page.getByTestId('kpi-gmv').textContent(), { timeout: 10_000 })
      .toBe('1,234.50');
    expect(await page.getByTestId('kpi-orders').textContent()).toBe('—');
    await expect
      .poll(() => page.getByTestId('source-status').textContent())
      .toMatch(/workshop job records/);
  });

  test('a missing stream is a sentence on the screen, not a crash', async () => {
    const { base, p } = await webOn('missing_ds');
    await waitFor('the server', async () => (await fetch(`${base}/api/snapshot`)).ok, {
      timeoutMs: 20_000,
      process: p,
    });
    const page = await browser().newPage({ viewport: { width: 1920, height: 1080 } });
    onTestFinished(() => page.close());
    await page.goto(base);
    await expect
      .poll(() => page.getByTestId('status-banner').textContent(), { timeout: 15_000 })
      .toMatch(/Stream "missing_ds" was not found .* check the stream name and the region/);
    // The health probes name the broken stage and what to do.
    const res = await fetch(`${base}/api/health`);
    const checks = (await res.json()) as {
      stage: string;
      ok: boolean;
      detail: string;
    }[];
    expect(checks, JSON.stringify(checks)).toEqual([
      {
        stage: 'kinesis missing_ds',
        ok: false,
        detail: expect.stringMatching(
          /^Stream "missing_ds" was not found .*check the stream name and the region\.$/,
        ),
      },
    ]);
    // A monitor polling /healthz sees the broken pipeline too.
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(503);
    expect(((await health.json()) as { status: { message: string } }).status.message).toMatch(
      /missing_ds/,
    );
    expect(p.exitInfo()).toBeUndefined();
  });
});
