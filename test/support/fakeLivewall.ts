/**
 * A stand-in for the app's bridge (`window.livewall`) that the built screen picks up before its
 * WebSocket: a browser test or bench injects it with `page.addInitScript` and the real renderer
 * then shows a day of made-up metrics, fed at a chosen rate. Plain JavaScript in a string, because
 * it runs in the page, not in Node.
 */
import type { Language } from '../../src/shared/language';

export interface FakeLivewallOptions {
  language: Language;
  /** `live`: today's minutes up to now, then updates into the current minute. `replay`: a soak. */
  mode: 'live' | 'replay';
  /** Minutes of history before now (live), at most a day. */
  minutes: number;
  /** How many 1m series (orders and gmv first, then others the screen stores but does not draw). */
  series: number;
  /** Batches pushed per second. */
  hz: number;
  /** Replay: simulated minutes per real minute (100 = a day in 14.4 min). */
  speed: number;
  /** Replay: the speed of the warm-up day replayed before the measured one. */
  warmupSpeed: number;
}

export const DEFAULT_FAKE: FakeLivewallOptions = {
  language: 'zh',
  mode: 'live',
  minutes: 1440,
  series: 10,
  hz: 10,
  speed: 100,
  warmupSpeed: 1000,
};

const SOURCE = String.raw`(function (o) {
  var MIN = 60000, DAY = 86400000;
  var NAMES = ['orders', 'gmv', 'paid_orders', 'cancelled', 'buyers', 'aov', 'refunds', 'visits', 'carts', 'coupons', 'returns', 'reviews'];
  var CITIES = ['北京', '上海', '广州', '深圳', '杭州', '成都', '西安', '武汉', '南京', '重庆'];
  var STATUSES = ['unpaid', 'paid', 'cancel', 'shipping', 'finished'];
  function dayStart(t) { var d = new Date(t); d.setHours(0, 0, 0, 0); return d.getTime(); }
  // A day's shape: quiet at night, busy at noon and in the evening; deterministic per minute.
  var cache = new Map();
  function perMinute(start, i) {
    // Cached: the fake's own work runs on the page's main thread and must not weigh on the bench.
    // The replay's minutes are each asked for once: caching them would only grow the heap the
    // soak measures.
    if (o.mode !== 'live') return perMinuteOf(start, i);
    var key = start + i;
    var hit = cache.get(key);
    if (hit !== undefined) return hit;
    var v = perMinuteOf(start, i);
    if (cache.size > 200000) cache.clear();
    cache.set(key, v);
    return v;
  }
  function perMinuteOf(start, i) {
    var h = new Date(start).getHours() + new Date(start).getMinutes() / 60;
    var base = 20 + 60 * Math.exp(-Math.pow(h - 12, 2) / 8) + 90 * Math.exp(-Math.pow(h - 20.5, 2) / 5);
    var wobble = 1 + 0.08 * Math.sin(start / 1900000 + i) + 0.04 * Math.sin(start / 410000);
    return Math.max(0, Math.round(base * wobble * (i === 1 ? 183.5 : i < 2 ? 1 : 0.3 + 0.1 * i)));
  }
  function rec(name, value, window, start, dims) {
    return { name: name, value: value, occur: start + 1000, window: window, start: start, dims: dims || {} };
  }
  var sums = new Map();
  function dayRecords(day, upTo) {
    // Totals of a day up to a minute: the 1d records the screen's KPIs, cities and donut read.
    var sum = sums.get(day) || { upTo: day - MIN, orders: 0, gmv: 0 };
    if (sum.upTo > upTo) sum = { upTo: day - MIN, orders: 0, gmv: 0 };
    for (var t = sum.upTo + MIN; t <= upTo; t += MIN) { sum.orders += perMinute(t, 0); sum.gmv += perMinute(t, 1); }
    sum.upTo = Math.max(sum.upTo, upTo);
    sums.set(day, sum);
    var orders = sum.orders, gmv = sum.gmv;
    var out = [rec('orders', orders, '1d', day), rec('gmv', Math.round(gmv * 100) / 100, '1d', day),
      rec('paid_orders', Math.round(orders * 0.78), '1d', day), rec('cancelled', Math.round(orders * 0.06), '1d', day),
      rec('buyers', Math.round(orders * 0.61), '1d', day), rec('aov', Math.round((gmv / Math.max(1, orders * 0.78)) * 100) / 100, '1d', day)];
    var share = [0.22, 0.19, 0.13, 0.12, 0.09, 0.08, 0.06, 0.05, 0.035, 0.025];
    for (var c = 0; c < CITIES.length; c++) {
      out.push(rec('orders', Math.round(orders * share[c]), '1d', day, { city: CITIES[c] }));
      out.push(rec('gmv', Math.round(gmv * share[c] * 100) / 100, '1d', day, { city: CITIES[c] }));
    }
    var st = [0.16, 0.3, 0.06, 0.2, 0.28];
    for (var s = 0; s < STATUSES.length; s++) out.push(rec('orders', Math.round(orders * st[s]), '1d', day, { status: STATUSES[s] }));
    return out;
  }
  function minuteRecords(start, fraction) {
    var out = [];
    for (var i = 0; i < o.series; i++) out.push(rec(NAMES[i % NAMES.length] + (i >= NAMES.length ? '_' + i : ''), Math.round(perMinute(start, i) * fraction * 100) / 100, '1m', start));
    return out;
  }
  var now = Date.now();
  var minute = Math.floor(now / MIN) * MIN;
  var snapshot = [];
  var clock; // the replay's simulated time
  if (o.mode === 'live') {
    var from = Math.max(dayStart(now), minute - (o.minutes - 1) * MIN);
    for (var t = from; t < minute; t += MIN) snapshot = snapshot.concat(minuteRecords(t, 1));
    snapshot = snapshot.concat(minuteRecords(minute, (now - minute) / MIN), dayRecords(dayStart(now), minute - MIN));
  } else {
    // Two whole days already on screen (all the store keeps), then a warm-up day and a measured
    // one replayed, each replacing the oldest.
    var d0 = dayStart(now - 4 * DAY);
    for (var day = d0; day < d0 + 2 * DAY - 1; day = dayStart(day + DAY + 3600000)) {
      for (var t2 = day; t2 < day + DAY; t2 += MIN) snapshot = snapshot.concat(minuteRecords(t2, 1));
      snapshot = snapshot.concat(dayRecords(day, day + DAY - MIN));
    }
    clock = dayStart(d0 + 2 * DAY + 3600000);
  }
  var warmEnd = clock === undefined ? 0 : dayStart(clock + DAY + 3600000);
  var replayEnd = clock === undefined ? 0 : dayStart(warmEnd + DAY + 3600000);
  var lastAt = now;
  var metricListeners = [];
  // A replay waits for start(), so a soak can measure the heap with two whole days on screen first.
  var progress = { batches: 0, records: 0, done: false, warm: false, start: function () { replaying = true; start(); } };
  var replaying = o.mode === 'live';
  window.__fakeLivewall = progress;
  var timer = null;
  function push(records) {
    progress.batches++; progress.records += records.length;
    lastAt = o.mode === 'live' ? Date.now() : records.length ? records[0].occur : lastAt;
    var batch = { records: records, lastRecordAt: lastAt, stale: false };
    for (var k = 0; k < metricListeners.length; k++) metricListeners[k](batch);
  }
  function tick() {
    if (o.mode === 'live') {
      var t = Date.now(), m = Math.floor(t / MIN) * MIN;
      push(minuteRecords(m, (t - m) / MIN).concat(dayRecords(dayStart(t), m)));
      return;
    }
    var step = ((clock < warmEnd ? o.warmupSpeed : o.speed) * 1000) / o.hz; // simulated ms per push
    var before = clock;
    clock = Math.min(replayEnd, clock + step);
    var out = [];
    var m0 = Math.floor(before / MIN) * MIN, m1 = Math.floor(clock / MIN) * MIN;
    for (var mm = m0; mm <= m1 && mm < replayEnd; mm += MIN) out = out.concat(minuteRecords(mm, Math.min(1, (clock - mm) / MIN)));
    var day0 = dayStart(before);
    if (m1 > m0 || clock >= replayEnd) out = out.concat(dayRecords(day0, Math.min(m1, dayStart(day0 + DAY + 3600000) - MIN)));
    if (clock >= warmEnd) progress.warm = true;
    push(out);
    if (clock >= replayEnd) { progress.done = true; clearInterval(timer); }
  }
  function start() { if (timer === null && replaying && metricListeners.length > 0) timer = setInterval(tick, 1000 / o.hz); }
  window.livewall = {
    getSnapshot: function () { return Promise.resolve({ metrics: snapshot, lastRecordAt: now, stale: false, language: o.language }); },
    burst: function (r) { return Promise.resolve({ inserted: r.orders, updated: 0, failed: 0 }); },
    getStatus: function () { return Promise.resolve({ source: 'embedded', state: 'ok', message: null }); },
    runHealth: function () { return Promise.resolve([]); },
    getBurstTargets: function () { return Promise.resolve([{ id: 'embedded', label: 'embedded demo table' }]); },
    setMySqlPassword: function () { return Promise.resolve({ saved: false, message: 'no keychain here' }); },
    on: function (channel, l) {
      if (channel !== 'metrics.batch') return function () {};
      metricListeners.push(l); start(); return function () { metricListeners = metricListeners.filter(function (x) { return x !== l; }); };
    },
  };
})`;

/** The init script: installs the fake with these options before the screen's own script runs. */
export function fakeLivewallScript(options: Partial<FakeLivewallOptions> = {}): string {
  return `${SOURCE}(${JSON.stringify({ ...DEFAULT_FAKE, ...options })});`;
}
