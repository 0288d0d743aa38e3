/**
 * The lag rules against an independent oracle: a simulated hop (items arrive upstream, a process
 * moves them downstream in order with a latency below the allowed lag, until it stops at a random
 * moment) seen only through what the probes see (upstream ages, the downstream's newest age).
 * - no false alarm: a failing verdict means an item really waits longer than allowed;
 * - no miss: an item that came after the process stopped and waited longer is always caught;
 * - a quiet pipeline (nothing undelivered) is healthy.
 */
import { describe, expect, test } from 'vitest';
import {
  cdcAllowedLagMs,
  formatAge,
  judgeHop,
  pendingFrom,
  type HopInput,
} from '../../../src/main/health/lagRules';
import { PIPELINE_ORDER } from '../../../src/shared/stages';
import { HOPS, inPipelineOrder } from '../../../src/main/health/stages';
import { intBetween, seededRandom } from '../../../src/main/lib/random';

const [CDC, ENGINE, , FIREHOSE] = HOPS as [
  (typeof HOPS)[number],
  (typeof HOPS)[number],
  (typeof HOPS)[number],
  (typeof HOPS)[number],
];

describe('lag rules oracle', () => {
  test('10 000 random hops: no false alarm, no miss, quiet is healthy', () => {
    const rnd = seededRandom(12);
    let failures = 0;
    let quiet = 0;
    for (let run = 0; run < 10_000; run++) {
      const maxLagMs = intBetween(rnd, 1, 120) * 1000;
      const graceMs = rnd() < 0.3 ? intBetween(rnd, 0, 300) * 1000 : 0;
      const allowed = maxLagMs + graceMs;
      const now = 10_000_000;
      const span = intBetween(rnd, 1, 3_600) * 1000;
      const n = intBetween(rnd, 0, 60);
      // Arrival times upstream, in order.
      const ups = Array.from({ length: n }, () => now - Math.floor(rnd() * span)).sort(
        (a, b) => a - b,
      );
      // The process stops at a random moment (or never), latency below the allowed lag.
      const stopAt = rnd() < 0.5 ? now + 1 : now - Math.floor(rnd() * span);
      const maxLatency = Math.floor(rnd() * allowed);
      // Delivery keeps order: once one item misses the stop, none after it arrives.
      let newest = -Infinity;
      let stopped = false;
      const delivered: boolean[] = [];
      for (const t of ups) {
        const at = Math.max(newest, t + Math.floor(rnd() * (maxLatency + 1)));
        stopped ||= at > stopAt || at > now;
        delivered.push(!stopped);
        if (!stopped) newest = at;
      }
      const downstreamNewest = newest;
      const downstreamAgeMs = Number.isFinite(downstreamNewest) ? now - downstreamNewest : null;
      const verdict = judgeHop({
        hop: CDC,
        fromName: 'MySQL demo.order',
        toName: 'order_ds',
        maxLagMs,
        graceMs,
        downstreamAgeMs,
        pending: pendingFrom(
          ups.map((t) => now - t),
          downstreamAgeMs,
        ),
        windowMs: 2 * span,
      });
      const undelivered = ups.filter((_, i) => !delivered[i]);
      const stuck = undelivered.some((t) => now - t > allowed);
      const missedAfterStop = undelivered.some((t) => t > stopAt && now - t > allowed);
      if (!verdict.ok) {
        failures++;
        expect(stuck, `false alarm in run ${run}: ${verdict.detail}`).toBe(true);
        expect(verdict.behindMs).toBeGreaterThan(allowed);
      }
      if (missedAfterStop) expect(verdict.ok, `missed in run ${run}`).toBe(false);
      if (undelivered.length === 0) {
        quiet++;
        expect(verdict.ok, `quiet run ${run} failed`).toBe(true);
      }
    }
    // The random runs exercised both outcomes.
    expect(failures).toBeGreaterThan(1_000);
    expect(quiet).toBeGreaterThan(1_000);
  });
});

describe('sentences', () => {
  const base = (over: Partial<HopInput>): HopInput => ({
    hop: CDC,
    fromName: 'MySQL demo.order',
    toName: 'order_ds',
    maxLagMs: 60_000,
    downstreamAgeMs: 240_000,
    pending: { count: 37, oldestAgeMs: 230_000 },
    windowMs: 900_000,
    ...over,
  });
  test.each([
    [
      base({}),
      "cdc (Maxwell) has shipped nothing to order_ds for 4 min while MySQL demo.order took 37 changes (the oldest waiting 4 min, 60 s allowed): start `livewall cdc` or check Maxwell's log; if it says 'Could not find first log file name', its position was purged: start from the current position (`livewall cdc --from-current`, or delete Maxwell's stored position).",
    ],
    [
      base({
        downstreamAgeMs: null,
        pending: { count: 10, oldestAgeMs: 5_000, atLeast: true },
        maxLagMs: 2_000,
      }),
      /^cdc \(Maxwell\) has shipped nothing to order_ds within the last 15 min while MySQL demo.order took at least 10 changes \(the oldest waiting 5 s, 2 s allowed\): start `livewall cdc`/,
    ],
    [
      base({
        hop: ENGINE,
        fromName: 'order_ds',
        toName: 'metric_ds',
        downstreamAgeMs: 7_200_000 + 300_000,
        pending: { count: 3, oldestAgeMs: 120_000 },
      }),
      /^the engine has written nothing to metric_ds for 2 h 5 min while order_ds took 3 changes \(the oldest waiting 2 min, 60 s allowed\): start `livewall engine`.*RUNNING.*NAT gateway or a Kinesis VPC endpoint\)\.$/,
    ],
    [
      base({
        hop: FIREHOSE,
        fromName: 'dwd_customer_order_ds',
        toName: 'the warehouse',
        graceMs: 300_000,
        pending: { count: 5, oldestAgeMs: 400_000 },
        downstreamAgeMs: 500_000,
      }),
      /^Firehose has delivered nothing to the warehouse for 8 min while dwd_customer_order_ds took 5 rows \(the oldest waiting 7 min, 6 min allowed\): check the delivery stream's last error; a Redshift destination must be publicly accessible/,
    ],
    [
      base({ pending: null }),
      "MySQL demo.order → order_ds: nothing waiting; order_ds's newest is 4 min old",
    ],
    [
      base({ pending: { count: 2, oldestAgeMs: 1_000 }, downstreamAgeMs: 3_000 }),
      "MySQL demo.order → order_ds: 2 changes in flight, the oldest 1 s old (60 s allowed); order_ds's newest is 3 s old",
    ],
    [
      base({ hop: FIREHOSE, graceMs: 300_000, pending: { count: 5, oldestAgeMs: 200_000 } }),
      /^MySQL demo.order → order_ds: 5 rows in flight, the oldest 3 min old \(6 min allowed\)/,
    ],
  ])('%#', (input, sentence) => {
    const v = judgeHop(input);
    if (typeof sentence === 'string') expect(v.detail).toBe(sentence);
    else expect(v.detail).toMatch(sentence);
    expect(v.ok).toBe(
      input.pending === null || input.pending.oldestAgeMs <= input.maxLagMs + (input.graceMs ?? 0),
    );
  });

  test.each([
    [0, '0 s'],
    [1_499, '1 s'],
    [89_000, '89 s'],
    [90_000, '2 min'],
    [240_000, '4 min'],
    [89 * 60_000, '89 min'],
    [90 * 60_000, '1 h 30 min'],
    [2 * 3_600_000, '2 h'],
    [Infinity, 'ever'],
  ])('formatAge(%d) = %s', (ms, text) => expect(formatAge(ms)).toBe(text));
});

describe('stages', () => {
  test('checks sort into pipeline order, unknown last and stable', () => {
    const checks = ['customers', 'x', 'engine', 'mysql', 'y', 'cdc', 'screen'].map((stage) => ({
      stage,
    }));
    expect(inPipelineOrder(checks).map((c) => c.stage)).toEqual([
      'mysql',
      'cdc',
      'engine',
      'customers',
      'screen',
      'x',
      'y',
    ]);
    expect(PIPELINE_ORDER.indexOf('cdc')).toBeLessThan(PIPELINE_ORDER.indexOf('order_ds'));
  });
  test('every hop runs forward in the pipeline, its process between its ends', () => {
    for (const h of HOPS) {
      const [a, p, b] = [h.from, h.process, h.to].map((s) => PIPELINE_ORDER.indexOf(s));
      expect(a).toBeLessThan(p as number);
      expect(p).toBeLessThan(b as number);
    }
  });
});

describe('pendingFrom', () => {
  test.each([
    [[5, 1, 3], 4, { count: 2, oldestAgeMs: 3 }],
    [[5, 4], 4, null],
    [[5, 9], null, { count: 2, oldestAgeMs: 9 }],
    [[], null, null],
  ])('%j newer than %s', (ages, down, out) => expect(pendingFrom(ages, down)).toEqual(out));
});

describe('cdcAllowedLagMs', () => {
  test.each([
    [60_000, 0, 10_000],
    [2_000, 0, 2_000],
    [60_000, 1, 60_000],
    [60_000, null, 60_000],
  ])('maxLag %d, %s binlog readers → %d', (lag, readers, allowed) =>
    expect(cdcAllowedLagMs(lag, readers)).toBe(allowed),
  );
});

describe('hop words', () => {
  test('a verdict carries its figures as a code, for a screen that words them itself', () => {
    const v = judgeHop({
      hop: { process: 'firehose', from: 'dwd', to: 'warehouse' },
      fromName: 'dwd_customer_order_ds',
      toName: 'the warehouse',
      maxLagMs: 60_000,
      graceMs: 60_000,
      downstreamAgeMs: null,
      pending: { count: 7, oldestAgeMs: 200_000, atLeast: true },
      windowMs: 300_000,
    });
    expect(v.ok).toBe(false);
    expect(v.words).toEqual({
      code: 'hop-stalled',
      process: 'firehose',
      from: 'dwd_customer_order_ds',
      to: 'warehouse',
      waiting: 7,
      atLeast: true,
      oldestAgeMs: 200_000,
      allowedMs: 120_000,
      downstreamAgeMs: null,
      windowMs: 300_000,
    });
  });
});
