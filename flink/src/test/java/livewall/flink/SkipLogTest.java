package livewall.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Poison cannot flood the log: one line per reason per interval, then how many were not named. */
class SkipLogTest {
  @Test
  void oneLinePerReasonPerIntervalWithTheCountOfTheRest() {
    List<String> lines = new ArrayList<>();
    SkipLog log = new SkipLog(60_000, lines::add);
    for (int i = 0; i < 100_000; i++) log.skipped(1_000 + i / 100, "amount-out-of-range", (long) i, "amount 1e307");
    log.skipped(2_000, "other-database", 7L, "database \"otherdb\", not \"demo\"");
    log.skipped(3_000, "malformed", null, "change event: not JSON");
    assertEquals(
        List.of(
            "skipped order 0 (amount-out-of-range): amount 1e307",
            "skipped order 7 (other-database): database \"otherdb\", not \"demo\"",
            "skipped order ? (malformed): change event: not JSON"),
        lines);
    log.skipped(61_000, "amount-out-of-range", 5L, "amount 1e307");
    assertEquals(
        "skipped order 5 (amount-out-of-range): amount 1e307; and 99999 more skipped as amount-out-of-range since the last such line",
        lines.get(3));
  }
}
