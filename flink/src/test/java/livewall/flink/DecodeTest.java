package livewall.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.api.operators.StreamFlatMap;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.Test;

/** The decode operator: good rows go on, the rest are counted per reason and go nowhere. */
class DecodeTest {
  @Test
  void skippedRecordsAreCountedPerReasonAndNotPassedOn() throws Exception {
    long now = System.currentTimeMillis();
    String today = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
        .withZone(java.time.ZoneOffset.UTC)
        .format(java.time.Instant.ofEpochMilli(now));
    Decode decode = new Decode(new RowChecks("demo", "order", 86_400_000L, "UTC"));
    try (OneInputStreamOperatorTestHarness<String, Row> h = new OneInputStreamOperatorTestHarness<>(new StreamFlatMap<>(decode))) {
      h.setup(Rows.CHANGE.createSerializer(new org.apache.flink.api.common.ExecutionConfig()));
      h.open();
      long ts = now / 1000;
      h.processElement(new StreamRecord<>(PoisonTest.event("demo", "order", "insert", ts, 7, "北京", "10.5", today)));
      for (int i = 0; i < 1000; i++) {
        h.processElement(new StreamRecord<>(PoisonTest.event("demo", "order", "insert", ts, 100 + i, "X", "1e307", today)));
      }
      h.processElement(new StreamRecord<>(PoisonTest.event("otherdb", "order", "insert", ts, 7, "X", "1", today)));
      h.processElement(new StreamRecord<>(PoisonTest.event("demo", "order", "insert", "1e306", 8, "X", "1", today)));
      h.processElement(new StreamRecord<>("not json"));
      h.processElement(new StreamRecord<>(null));
      List<Long> ids = new ArrayList<>();
      for (Row r : h.extractOutputValues()) ids.add((Long) r.getField(0));
      assertEquals(List.of(7L), ids);
      assertEquals("demo\u0000order\u00007", h.extractOutputValues().get(0).getField(Rows.ROW_KEY));
      assertEquals(1000, decode.skippedCount(RowChecks.AMOUNT_OUT_OF_RANGE));
      assertEquals(1, decode.skippedCount(RowChecks.OTHER_DATABASE));
      assertEquals(1, decode.skippedCount(RowChecks.TS_OUT_OF_RANGE));
      assertEquals(2, decode.skippedCount(RowChecks.MALFORMED));
      assertEquals(0, decode.skippedCount(RowChecks.CREATE_TIME_FUTURE));
    }
  }
}
