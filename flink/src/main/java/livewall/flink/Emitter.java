package livewall.flink;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Contract 2's records, coalesced like the engine's drain: per identity at most one record per
 * emit interval, with the newest value. A group that became empty is written once with 0 and
 * forgotten; a day's aov and buyers are written whenever anything of the day changed.
 *
 * <p>While catching up on a backlog (the newest change this subtask has seen is more than 30 s
 * older than the clock, and input is still arriving), emits come at most every 5 s and only of
 * what the screen shows now: the days' groups and the minutes of the last two hours. Older
 * minutes stay pending, coalescing, and go out once the input has caught up or gone quiet (a
 * held group looks again every 30 s by a timer, so no further input is needed). The sink is then
 * not spent on minute values replaced seconds later, as `livewall engine` does (engineLoop.ts).
 * Held groups are keyed state with a timer, so a checkpoint keeps them and a restore emits them.
 */
public class Emitter extends KeyedProcessFunction<String, Update, Out> {
  private static final long serialVersionUID = 1L;
  private final long intervalMs;
  private final int retentionDays;
  private transient ValueState<Pending> state;
  /** The newest change (Maxwell ts, ms) this subtask has seen; 0 after a restore: not behind. */
  private transient double newestOccur;
  /** When input last arrived here (processing time). */
  private transient long lastInputAt;

  /** Input whose newest change is older than this means a backlog is being caught up. */
  static final long BEHIND_MS = 30_000;
  /** No input for this long: the backlog is done, whatever the age of the last change. */
  static final long QUIET_MS = 10_000;
  /** While catching up, emits come at most this often. */
  static final long CATCH_UP_EMIT_MS = 5_000;
  /** While catching up, minutes older than this wait (the screen's trend spans the last hour). */
  static final long RECENT_MS = 2 * 3_600_000L;
  /** A held group looks again this often whether input comes or not. */
  static final long RECHECK_MS = 30_000;

  public Emitter(long intervalMs, int retentionDays) {
    this.intervalMs = intervalMs;
    this.retentionDays = retentionDays;
  }

  /** Far behind and still reading: a backlog is being caught up. */
  boolean catchingUp(long now) {
    return lastInputAt > 0 && now - lastInputAt < QUIET_MS && now - newestOccur > BEHIND_MS;
  }

  /** A group that waits while catching up: a minute older than the screen shows. */
  static boolean old(Pending p, long now) {
    return !p.day && !"1d".equals(p.win) && p.start < now - RECENT_MS;
  }

  @Override
  public void open(OpenContext ctx) {
    ValueStateDescriptor<Pending> d = new ValueStateDescriptor<>("pending", Pending.class);
    d.enableTimeToLive(StateTtlConfig.newBuilder(java.time.Duration.ofDays(retentionDays + 1L)).build());
    state = getRuntimeContext().getState(d);
  }

  @Override
  public void processElement(Update u, Context ctx, Collector<Out> out) throws Exception {
    long now = ctx.timerService().currentProcessingTime();
    lastInputAt = now;
    if (u.occur > newestOccur) newestOccur = u.occur;
    Pending p = state.value();
    if (p == null) {
      p = new Pending();
      p.day = u.kind != Update.METRIC;
      p.win = "1d";
    }
    p.start = u.start;
    switch (u.kind) {
      case Update.METRIC:
        p.name = u.name;
        p.win = u.win;
        p.dim = u.dim;
        p.dval = u.dval;
        p.value = u.value;
        p.rows = u.rows;
        p.occur = Math.max(p.occur, u.occur);
        break;
      case Update.DAY_GMV:
        p.gmvCents = u.value;
        p.gmvOutOfRange = false;
        break;
      case Update.DAY_GMV_OUT_OF_RANGE:
        p.gmvOutOfRange = true;
        break;
      case Update.DAY_PAID:
        p.paid = u.value;
        break;
      case Update.DAY_BUYERS:
        p.buyers = u.value;
        break;
      default:
        p.occur = Math.max(p.occur, u.occur);
    }
    if (!p.dirty) {
      p.dirty = true;
      long every = catchingUp(now) ? Math.max(intervalMs, CATCH_UP_EMIT_MS) : intervalMs;
      // Aligned to the interval, so one timer tick drains every key that changed.
      ctx.timerService().registerProcessingTimeTimer((now / every + 1) * every);
    }
    state.update(p);
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<Out> out) throws Exception {
    Pending p = state.value();
    if (p == null || !p.dirty) return;
    long now = ctx.timerService().currentProcessingTime();
    if (old(p, now) && catchingUp(now)) {
      // Still dirty: updates coalesce here and register nothing; this timer looks again.
      ctx.timerService().registerProcessingTimeTimer((now / RECHECK_MS + 1) * RECHECK_MS);
      return;
    }
    for (Out o : records(p)) out.collect(o);
    if (!p.day && p.rows == 0) {
      state.clear();
    } else {
      p.dirty = false;
      state.update(p);
    }
  }

  /** The records a pending entry writes: one metric, or a day's aov and buyers. */
  static Out[] records(Pending p) {
    if (p.day) {
      Out buyers = metric("buyers", Long.toString(p.buyers), p.occur, "1d", p.start, "", "");
      // An aov of a gmv that could not be written would be wrong: the last good one stays.
      if (p.gmvOutOfRange) return new Out[] {buyers};
      return new Out[] {metric("aov", MetricRecords.aov(p.gmvCents, p.paid), p.occur, "1d", p.start, "", ""), buyers};
    }
    String value = p.name.equals("gmv") ? JsJson.cents(p.value) : Long.toString(p.value);
    return new Out[] {metric(p.name, value, p.occur, p.win, p.start, p.dim, p.dval)};
  }

  static Out metric(String name, String value, double occur, String win, long start, String dim, String dval) {
    String identity = MetricRecords.identity(name, win, start, dim, dval);
    return new Out(
        MetricRecords.partitionKey(identity),
        MetricRecords.record(name, value, occur, win, start, dim, dval));
  }
}
