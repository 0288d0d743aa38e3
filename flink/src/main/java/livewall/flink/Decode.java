package livewall.flink;

import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.types.Row;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Contract 1's records into changes: a record that fails {@link RowChecks} is counted per reason
 * (the metric group `skipped`, one counter per reason), named in a rate-limited log line, and
 * dropped here, before any state sees it.
 */
public class Decode extends RichFlatMapFunction<String, Row> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(Decode.class);
  /** One line per reason per minute at most. */
  static final long LOG_INTERVAL_MS = 60_000;

  private final RowChecks checks;
  private transient Map<String, Counter> skipped;
  private transient SkipLog log;

  public Decode(RowChecks checks) {
    this.checks = checks;
  }

  @Override
  public void open(OpenContext ctx) {
    MetricGroup group = getRuntimeContext().getMetricGroup().addGroup("skipped");
    skipped = new HashMap<>();
    for (String reason : RowChecks.REASONS) skipped.put(reason, group.counter(reason));
    log = new SkipLog(LOG_INTERVAL_MS, LOG::warn);
  }

  /** Records skipped for a reason so far by this instance (tests). */
  long skippedCount(String reason) {
    return skipped.get(reason).getCount();
  }

  @Override
  public void flatMap(String text, Collector<Row> out) {
    long now = System.currentTimeMillis();
    Maxwell.Decoded d = Maxwell.decode(text, checks, now);
    if (d.change != null) {
      out.collect(Rows.rowOf(d.change, checks));
    } else if (d.reason != null) {
      skipped.get(d.reason).inc();
      log.skipped(now, d.reason, d.orderId, d.error);
    }
  }
}
