package livewall.flink;

import java.math.BigDecimal;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.metrics.Counter;
import org.apache.flink.types.Row;
import org.apache.flink.types.RowKind;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A GROUP BY result row as the emitter's updates (the day's totals also feed aov). The sums come
 * as DECIMAL(38, 0), which cannot wrap; one beyond ±(2^53 − 1) cannot be written exactly as a
 * contract 2 number, so it is counted (`sum-out-of-range`), logged and not written: the group's
 * last good record stays on the stream rather than a wrong one replacing it.
 */
public class GroupUpdates extends RichFlatMapFunction<Row, Update> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(GroupUpdates.class);
  static final BigDecimal MAX = BigDecimal.valueOf(RowChecks.MAX_CENTS);

  private transient Counter outOfRange;
  private transient long lastLogAt;

  @Override
  public void open(OpenContext ctx) {
    outOfRange = getRuntimeContext().getMetricGroup().counter("sum-out-of-range");
  }

  @Override
  public void flatMap(Row r, Collector<Update> out) {
    if (r.getKind() == RowKind.UPDATE_BEFORE || r.getKind() == RowKind.DELETE) return;
    String name = (String) r.getField(0);
    BigDecimal val = (BigDecimal) r.getField(5);
    if (val.abs().compareTo(MAX) > 0) {
      outOfRange.inc();
      long now = System.currentTimeMillis();
      if (now - lastLogAt >= Decode.LOG_INTERVAL_MS) {
        lastLogAt = now;
        LOG.warn("not written: {} {} of {} is {}, beyond ±(2^53 − 1)", name, r.getField(3), r.getField(2), val);
      }
      long start = (Long) r.getField(2);
      if (name.equals("gmv") && "1d".equals(r.getField(1)) && "".equals(r.getField(3))) {
        out.collect(update("day|" + start, Update.DAY_GMV_OUT_OF_RANGE, start, 0, (Double) r.getField(7)));
      }
      return;
    }
    updates(r, val.longValueExact(), out);
  }

  /** The updates of one in-range group row. */
  static void updates(Row r, long val, Collector<Update> out) {
    String name = (String) r.getField(0);
    String win = (String) r.getField(1);
    long start = (Long) r.getField(2);
    String dim = (String) r.getField(3);
    String dval = (String) r.getField(4);
    long cnt = (Long) r.getField(6);
    double occur = (Double) r.getField(7);
    String day = "day|" + start;
    if (name.equals("_day")) {
      out.collect(update(day, Update.DAY_TOUCH, start, 0, occur));
      return;
    }
    Update u = update(MetricRecords.identity(name, win, start, dim, dval), Update.METRIC, start, val, occur);
    u.name = name;
    u.win = win;
    u.dim = dim;
    u.dval = dval;
    u.rows = cnt;
    out.collect(u);
    if (win.equals("1d") && dim.isEmpty()) {
      if (name.equals("gmv")) out.collect(update(day, Update.DAY_GMV, start, val, occur));
      if (name.equals("paid_orders")) out.collect(update(day, Update.DAY_PAID, start, val, occur));
    }
  }

  static void buyerUpdates(Row r, Collector<Update> out) {
    if (r.getKind() == RowKind.UPDATE_BEFORE || r.getKind() == RowKind.DELETE) return;
    long start = (Long) r.getField(0);
    Number n = (Number) r.getField(1);
    out.collect(update("day|" + start, Update.DAY_BUYERS, start, n.longValue(), 0));
  }

  static Update update(String key, int kind, long start, long value, double occur) {
    Update u = new Update();
    u.key = key;
    u.kind = kind;
    u.start = start;
    u.value = value;
    u.occur = occur;
    return u;
  }
}
