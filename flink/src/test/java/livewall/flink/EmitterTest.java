package livewall.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class EmitterTest {
  @Test
  void aDayWritesAovAndBuyers() {
    Pending p = new Pending();
    p.day = true;
    p.start = 1795910400000L;
    p.gmvCents = 10025;
    p.paid = 3;
    p.buyers = 2;
    p.occur = 1795960000000d;
    Out[] out = Emitter.records(p);
    assertEquals("[\"aov\",\"1d\",1795910400000,[]]", out[0].key);
    assertEquals(
        "{\"name\":\"aov\",\"value\":33.416666666666664,\"occur\":1795960000000,\"window\":\"1d\",\"start\":1795910400000,\"dims\":{}}",
        out[0].json);
    assertEquals(
        "{\"name\":\"buyers\",\"value\":2,\"occur\":1795960000000,\"window\":\"1d\",\"start\":1795910400000,\"dims\":{}}",
        out[1].json);
  }

  @Test
  void gmvInCentsPrecisionAndAnEmptiedGroupAsZero() {
    Pending p = new Pending();
    p.name = "gmv";
    p.win = "1m";
    p.start = 60000;
    p.dim = "level";
    p.dval = "null";
    p.value = 1234567;
    p.occur = 61000;
    assertEquals(
        "{\"name\":\"gmv\",\"value\":12345.67,\"occur\":61000,\"window\":\"1m\",\"start\":60000,\"dims\":{\"level\":null}}",
        Emitter.records(p)[0].json);
    p.value = 0;
    assertEquals(
        "{\"name\":\"gmv\",\"value\":0,\"occur\":61000,\"window\":\"1m\",\"start\":60000,\"dims\":{\"level\":null}}",
        Emitter.records(p)[0].json);
  }

  @Test
  void aDayWhoseGmvIsOutOfRangeWritesNoAov() {
    Pending p = new Pending();
    p.day = true;
    p.start = 1795910400000L;
    p.gmvCents = 10025;
    p.paid = 3;
    p.buyers = 2;
    p.gmvOutOfRange = true;
    Out[] out = Emitter.records(p);
    assertEquals(1, out.length);
    assertEquals("[\"buyers\",\"1d\",1795910400000,[]]", out[0].key);
  }

  static final long TODAY = 1795910400000L;
  /** 10:00 of the day; the backlog's changes were made at 09:50. */
  static final long NOW = TODAY + 10 * 3_600_000L;
  static final long BINLOG = NOW - 600_000;
  static final long OLD_MINUTE = TODAY + 3 * 3_600_000L;

  static Update orders(String win, long start, long value, long occur) {
    Update u = GroupUpdates.update(MetricRecords.identity("orders", win, start, "", ""), Update.METRIC, start, value, occur);
    u.name = "orders";
    u.win = win;
    u.dim = "";
    u.dval = "";
    u.rows = value;
    return u;
  }

  static KeyedOneInputStreamOperatorTestHarness<String, Update, Out> emitter() throws Exception {
    return new KeyedOneInputStreamOperatorTestHarness<>(
        new KeyedProcessOperator<>(new Emitter(500, 2)), x -> x.key, Types.STRING);
  }

  /** What was written since the last call, as "window start value". */
  static List<String> written(KeyedOneInputStreamOperatorTestHarness<String, Update, Out> h) {
    List<String> out = new ArrayList<>();
    for (Object o : h.getOutput()) {
      String json = ((Out) ((StreamRecord<?>) o).getValue()).json;
      out.add(json.replaceAll(".*\"value\":(\\d+).*\"window\":\"(\\w+)\",\"start\":(\\d+).*", "$2 $3 $1"));
    }
    h.getOutput().clear();
    return out;
  }

  @Test
  void whileCatchingUpAnOldMinuteWaitsAndTheDayGoesOutThenTheMinuteOnceCaughtUp() throws Exception {
    try (KeyedOneInputStreamOperatorTestHarness<String, Update, Out> h = emitter()) {
      h.open();
      h.setProcessingTime(NOW);
      h.processElement(new StreamRecord<>(orders("1m", OLD_MINUTE, 1, BINLOG)));
      h.processElement(new StreamRecord<>(orders("1d", TODAY, 1, BINLOG)));
      h.setProcessingTime(NOW + 500);
      assertEquals(List.of(), written(h), "while catching up, at most every 5 s");
      h.setProcessingTime(NOW + Emitter.CATCH_UP_EMIT_MS);
      assertEquals(List.of("1d " + TODAY + " 1"), written(h), "the day goes out, the old minute waits");
      // The backlog goes on: the minute coalesces, the day goes out again, the minute still waits.
      h.setProcessingTime(NOW + Emitter.RECHECK_MS - Emitter.CATCH_UP_EMIT_MS);
      h.processElement(new StreamRecord<>(orders("1m", OLD_MINUTE, 2, BINLOG + 1000)));
      h.processElement(new StreamRecord<>(orders("1d", TODAY, 2, BINLOG + 1000)));
      h.setProcessingTime(NOW + Emitter.RECHECK_MS);
      assertEquals(List.of("1d " + TODAY + " 2"), written(h));
      // No more input: caught up. The held minute goes out once, with its newest value.
      h.setProcessingTime(NOW + 2 * Emitter.RECHECK_MS);
      assertEquals(List.of("1m " + OLD_MINUTE + " 2"), written(h));
      h.setProcessingTime(NOW + 10 * Emitter.RECHECK_MS);
      assertEquals(List.of(), written(h));
    }
  }

  @Test
  void aHeldMinuteIsKeptByACheckpointAndWrittenAfterTheRestore() throws Exception {
    OperatorSubtaskState snapshot;
    try (KeyedOneInputStreamOperatorTestHarness<String, Update, Out> h = emitter()) {
      h.open();
      h.setProcessingTime(NOW);
      h.processElement(new StreamRecord<>(orders("1m", OLD_MINUTE, 3, BINLOG)));
      h.setProcessingTime(NOW + Emitter.CATCH_UP_EMIT_MS);
      assertEquals(List.of(), written(h), "held while catching up");
      snapshot = h.snapshot(1, NOW + Emitter.CATCH_UP_EMIT_MS);
    }
    try (KeyedOneInputStreamOperatorTestHarness<String, Update, Out> h = emitter()) {
      h.initializeState(snapshot);
      h.open();
      h.setProcessingTime(NOW + Emitter.RECHECK_MS);
      assertEquals(List.of("1m " + OLD_MINUTE + " 3"), written(h));
    }
  }

  @Test
  void withFreshInputAnOldMinuteGoesOutAtTheNextInterval() throws Exception {
    try (KeyedOneInputStreamOperatorTestHarness<String, Update, Out> h = emitter()) {
      h.open();
      h.setProcessingTime(NOW);
      h.processElement(new StreamRecord<>(orders("1m", OLD_MINUTE, 4, NOW - 1000)));
      h.setProcessingTime(NOW + 500);
      assertEquals(List.of("1m " + OLD_MINUTE + " 4"), written(h));
    }
  }
}
