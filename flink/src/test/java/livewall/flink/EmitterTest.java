package livewall.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.types.Row;
import org.apache.flink.types.RowKind;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What each drain writes, against test/vectors/emitter.json (read by the engine's emitter.test.ts
 * too): the per-order fold (ReplayGuard), the job's two GROUP BYs in memory, GroupUpdates and the
 * Emitter in a test harness whose processing time is the drain.
 */
class EmitterTest {
  static final long INTERVAL_MS = 1000;

  static Stream<Arguments> cases() {
    return Vectors.cases("emitter.json", "cases");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void drainsAsTheVectorsSay(String name, JsonNode c) throws Exception {
    JsonNode v = Vectors.read("emitter.json");
    Function<String, JsonNode> opt = k -> c.has(k) ? c.get(k) : v.get(k);
    long[] now = {Vectors.instant(opt.apply("now"))};
    String dbZone = opt.apply("dbTimeZone").asText();
    int retention = opt.apply("retentionDays").asInt();
    // Flink keys the fold's state by order: one entry per order_id here.
    Map<Long, RowState> states = new HashMap<>();
    long[] current = new long[1];
    ReplayGuard guard =
        new ReplayGuard(new DbTime(opt.apply("timeZone").asText(), dbZone, retention)) {
          @Override
          void update(RowState s) {
            states.put(current[0], s);
          }
        };
    RowChecks checks = new RowChecks("demo", "order", 86_400_000L, dbZone);
    GroupBy sql = new GroupBy();
    try (KeyedOneInputStreamOperatorTestHarness<String, Update, Out> h =
        new KeyedOneInputStreamOperatorTestHarness<>(
            new KeyedProcessOperator<>(new Emitter(INTERVAL_MS, retention)), u -> u.key, Types.STRING)) {
      h.open();
      long clock = 0;
      h.setProcessingTime(clock);
      int drain = 0;
      for (JsonNode step : c.get("steps")) {
        if (step.has("now")) {
          now[0] = Vectors.instant(step.get("now"));
        } else if (step.has("drain")) {
          drain++;
          // The emitter's timers are aligned to the interval: one tick drains every key changed.
          clock += INTERVAL_MS;
          h.setProcessingTime(clock);
          Map<String, Double> written = new TreeMap<>();
          for (Out o : h.extractOutputValues()) {
            JsonNode r = Vectors.MAPPER.readTree(o.json);
            String id = identity(r);
            assertNull(written.put(id, r.get("value").asDouble()), name + ", drain " + drain + ": " + id + " twice");
          }
          h.getOutput().clear();
          Map<String, Double> want = new TreeMap<>();
          step.get("drain").fields().forEachRemaining(e -> want.put(e.getKey(), e.getValue().asDouble()));
          assertEquals(want, written, name + ", drain " + drain);
        } else {
          ObjectNode event = Vectors.MAPPER.createObjectNode().put("database", "demo").put("table", "order");
          event.set("type", step.get("type"));
          event.put("ts", step.has("ts") ? step.get("ts").asDouble() : now[0] / 1000d);
          if (step.has("position")) event.set("position", step.get("position"));
          ObjectNode data = v.get("row").deepCopy();
          if (step.has("data")) data.setAll((ObjectNode) step.get("data"));
          event.set("data", data);
          Maxwell.Decoded d = Maxwell.decode(Vectors.MAPPER.writeValueAsString(event), checks, now[0]);
          assertNotNull(d.change, name + ": " + d.error);
          JsonNode level = step.get("level");
          current[0] = d.change.orderId;
          guard.apply(
              d.change,
              level.isNull() ? null : level.asInt(),
              states.get(d.change.orderId),
              now[0],
              collector(delta -> sql.add(delta, collector(u -> {
                try {
                  h.processElement(new StreamRecord<>(u));
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              }))));
        }
      }
    }
  }

  /** A metric record's contract 2 identity. */
  static String identity(JsonNode r) {
    Iterator<Map.Entry<String, JsonNode>> dims = r.get("dims").fields();
    String dim = "";
    String dval = "";
    if (dims.hasNext()) {
      Map.Entry<String, JsonNode> e = dims.next();
      dim = e.getKey();
      dval = e.getValue().toString();
    }
    return MetricRecords.identity(
        r.get("name").asText(), r.get("window").asText(), r.get("start").asLong(), dim, dval);
  }

  /**
   * The job's two GROUP BYs (LivewallJob.pipeline) in memory: each delta updates its group, and
   * the group's new row goes on as the changelog's update (with a state TTL, Flink emits every
   * update, an unchanged one too).
   */
  static final class GroupBy {
    final Map<String, long[]> sums = new HashMap<>();
    final Map<String, Double> occurs = new HashMap<>();
    final Map<Long, Map<String, Long>> mails = new HashMap<>();

    void add(Row d, Collector<Update> out) {
      String name = (String) d.getField(0);
      long start = (Long) d.getField(2);
      long val = (Long) d.getField(5);
      if (name.equals("_buyer")) {
        Map<String, Long> day = mails.computeIfAbsent(start, k -> new HashMap<>());
        day.merge((String) d.getField(4), val, Long::sum);
        long buyers = day.values().stream().filter(n -> n > 0).count();
        GroupUpdates.buyerUpdates(Row.ofKind(RowKind.UPDATE_AFTER, start, buyers), out);
        return;
      }
      String key = name + "\u0000" + d.getField(1) + "\u0000" + start + "\u0000" + d.getField(3) + "\u0000" + d.getField(4);
      long[] s = sums.computeIfAbsent(key, k -> new long[2]);
      s[0] += val;
      s[1] += (Long) d.getField(6);
      double occur = occurs.merge(key, (Double) d.getField(7), Math::max);
      Row group =
          Row.ofKind(
              RowKind.UPDATE_AFTER, name, d.getField(1), start, d.getField(3), d.getField(4),
              BigDecimal.valueOf(s[0]), s[1], occur);
      GroupUpdates.updates(group, s[0], out);
    }
  }

  static <T> Collector<T> collector(java.util.function.Consumer<T> each) {
    return new Collector<T>() {
      @Override
      public void collect(T t) {
        each.accept(t);
      }

      @Override
      public void close() {}
    };
  }

  /** Java only (the engine's sums are exact): a day whose gmv cannot be written writes no aov. */
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
