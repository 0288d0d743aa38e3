package livewall.flink;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.types.Row;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Per order (keyed by order_id): the engine's `apply`. A change sets the row, so a repeated event
 * changes nothing; one at or before the newest position applied is skipped (a replay); rows
 * created before the days kept are skipped. What changed goes out as deltas of every group of
 * DESIGN.md's metrics table (the old row's contributions retracted, the new row's added), and the
 * applied change as a wide row (contract 3) on a side output.
 */
public class ReplayGuard extends KeyedProcessFunction<String, Row, Row> {
  private static final long serialVersionUID = 1L;
  public static final OutputTag<Out> WIDE = new OutputTag<Out>("wide") {};
  static final Set<String> SOLD = Set.of("paid", "shipping", "finished");
  private static final String[] WINDOWS = {"1d", "1m"};

  private final DbTime time;
  private transient ValueState<RowState> state;
  private transient Counter applied;
  private transient Counter stale;
  private transient Counter skipped;
  private transient Counter malformed;

  public ReplayGuard(DbTime time) {
    this.time = time;
  }

  @Override
  public void open(OpenContext ctx) {
    ValueStateDescriptor<RowState> d = new ValueStateDescriptor<>("row", RowState.class);
    // Nothing of a row outlives the days kept (plus one, for the day boundary).
    d.enableTimeToLive(
        StateTtlConfig.newBuilder(java.time.Duration.ofDays(time.retentionDays() + 1L)).build());
    state = getRuntimeContext().getState(d);
    applied = getRuntimeContext().getMetricGroup().counter("applied");
    stale = getRuntimeContext().getMetricGroup().counter("stale");
    skipped = getRuntimeContext().getMetricGroup().counter("skipped");
    malformed = getRuntimeContext().getMetricGroup().counter("malformed");
  }

  @Override
  public void processElement(Row row, Context ctx, Collector<Row> out) throws Exception {
    Maxwell.Change c = Rows.changeOf(row);
    Integer level = (Integer) row.getField(Rows.ROW_KEY + 1);
    String sex = (String) row.getField(Rows.ROW_KEY + 2);
    String result = apply(c, level, state.value(), ctx.timerService().currentProcessingTime(), out);
    switch (result) {
      case "stale":
        stale.inc();
        return;
      case "skipped":
        skipped.inc();
        return;
      case "malformed":
        malformed.inc();
        return;
      default:
        applied.inc();
        ctx.output(WIDE, new Out(JsJson.number(c.orderId), MetricRecords.wideRow(c, sex, level)));
    }
  }

  /** The fold of one change against the order's state; returns applied, stale, skipped or malformed. */
  String apply(Maxwell.Change c, Integer level, RowState prev, long now, Collector<Row> out)
      throws Exception {
    long cutoff = time.cutoff(now);
    if (prev != null && prev.day < cutoff) prev = null; // a day no longer kept: forgotten quietly
    boolean live = prev != null && prev.live;
    String known = prev == null ? null : prev.version;
    if (c.version != null && known != null && c.version.compareTo(known) <= 0) return "stale";
    RowState next = null;
    if (!c.type.equals("delete")) {
      long[] created = time.createdMinute(c.createTime);
      if (created == null) return "malformed";
      next = new RowState();
      next.live = true;
      next.minute = created[0];
      next.day = created[1];
      next.city = c.city;
      next.status = c.status;
      next.mail = c.userMail;
      // Decode let only amounts with exact cents through; one that is not is no row to fold.
      Long cents = RowChecks.cents(c.amount);
      if (cents == null) return "malformed";
      next.cents = cents;
      next.level = level;
      next.version = c.version;
    }
    if (!live && (next == null || next.day < cutoff)) return "skipped";
    double occur = c.ts * 1000;
    // One delta per group touched: an update's retraction and addition net out where they meet.
    Map<String, Row> deltas = new LinkedHashMap<>();
    if (live) fold(prev, -1, occur, deltas);
    if (next != null && next.day >= cutoff) fold(next, +1, occur, deltas);
    for (Row d : deltas.values()) out.collect(d);
    if (next != null && next.day >= cutoff) {
      update(next);
    } else if (c.version != null && live) {
      RowState tomb = new RowState();
      tomb.live = false;
      tomb.version = c.version;
      tomb.day = prev.day;
      update(tomb);
    } else {
      update(null);
    }
    return "applied";
  }

  /** Overridden in tests, which have no keyed state. */
  void update(RowState s) throws Exception {
    if (s == null) state.clear();
    else state.update(s);
  }

  /** The row's contribution to every group it is counted in, with a sign. */
  static void fold(RowState f, int sign, double occur, Map<String, Row> out) {
    boolean sold = SOLD.contains(f.status);
    String city = JsJson.string(f.city);
    String status = JsJson.string(f.status);
    String level = f.level == null ? "null" : f.level.toString();
    for (String w : WINDOWS) {
      long start = w.equals("1d") ? f.day : f.minute;
      add(out, delta("orders", w, start, "", "", sign, sign, occur));
      add(out, delta("orders", w, start, "city", city, sign, sign, occur));
      add(out, delta("orders", w, start, "status", status, sign, sign, occur));
      if (sold) {
        long v = sign * f.cents;
        add(out, delta("gmv", w, start, "", "", v, sign, occur));
        add(out, delta("gmv", w, start, "city", city, v, sign, occur));
        add(out, delta("gmv", w, start, "level", level, v, sign, occur));
      }
    }
    if (sold) {
      add(out, delta("paid_orders", "1d", f.day, "", "", sign, sign, occur));
      add(out, delta("paid_orders", "1d", f.day, "city", city, sign, sign, occur));
      add(out, delta("_buyer", "1d", f.day, "mail", f.mail, sign, 0, occur));
    }
    if (f.status.equals("cancel")) add(out, delta("cancelled", "1d", f.day, "", "", sign, sign, occur));
    add(out, delta("_day", "1d", f.day, "", "", 0, 1, occur));
  }

  private static void add(Map<String, Row> out, Row d) {
    String key = d.getField(0) + "\u0000" + d.getField(1) + "\u0000" + d.getField(2) + "\u0000" + d.getField(3) + "\u0000" + d.getField(4);
    Row seen = out.get(key);
    if (seen == null) {
      out.put(key, d);
    } else {
      // Each term is within ±(2^53 − 1), so the sum of two cannot wrap; addExact says so.
      seen.setField(5, Math.addExact((Long) seen.getField(5), (Long) d.getField(5)));
      seen.setField(6, Math.addExact((Long) seen.getField(6), (Long) d.getField(6)));
    }
  }

  private static Row delta(
      String name, String win, long start, String dim, String dval, long val, long cnt, double occur) {
    return Row.of(name, win, start, dim, dval, val, cnt, occur);
  }
}
