package livewall.flink;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Lines naming skipped records, at most one per reason per interval: a stream of poison names its
 * first record and then how many more there were, instead of flooding the log.
 */
public final class SkipLog {
  private final long intervalMs;
  private final Consumer<String> out;
  /** Per reason: when its last line was written, and how many were skipped since unnamed. */
  private final Map<String, long[]> last = new HashMap<>();

  public SkipLog(long intervalMs, Consumer<String> out) {
    this.intervalMs = intervalMs;
    this.out = out;
  }

  /** One skipped record; writes a line unless one for the same reason was written lately. */
  public void skipped(long now, String reason, Long orderId, String detail) {
    long[] l = last.get(reason);
    if (l != null && now - l[0] < intervalMs) {
      l[1]++;
      return;
    }
    long unnamed = l == null ? 0 : l[1];
    last.put(reason, new long[] {now, 0});
    out.accept(
        "skipped order " + (orderId == null ? "?" : orderId.toString()) + " (" + reason + "): " + detail
            + (unnamed > 0 ? "; and " + unnamed + " more skipped as " + reason + " since the last such line" : ""));
  }
}
