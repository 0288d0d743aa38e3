package livewall.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.flink.types.Row;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The per-order fold, as the engine's apply: what each change adds to and retracts from groups,
 * and the replay guard, against test/vectors/fold.json (read by the engine's fold.test.ts too).
 */
class ReplayGuardTest {
  static final long NOW = 1795960000000L; // 2026-11-29 10:26:40 UTC
  static final long TODAY = 1795910400000L;

  RowState state;
  final List<Row> out = new ArrayList<>();
  final ReplayGuard guard =
      new ReplayGuard(new DbTime("UTC", "UTC", 2)) {
        @Override
        void update(RowState s) {
          state = s;
        }
      };

  String apply(Maxwell.Change c, Integer level) throws Exception {
    out.clear();
    return guard.apply(c, level, state, NOW, collector());
  }

  static Maxwell.Change change(String type, String status, String city, double amount, String position) {
    Maxwell.Change c = new Maxwell.Change();
    c.orderId = 7;
    c.userMail = "pony@qq.com";
    c.status = status;
    c.goodCount = 1;
    c.city = city;
    c.amount = amount;
    c.createTime = "2026-11-29 10:00:01";
    c.updateTime = "2026-11-29 10:00:01";
    c.type = type;
    c.ts = NOW / 1000d;
    c.version = position == null ? null : Maxwell.versionOf(position, 0d);
    return c;
  }

  static Stream<Arguments> cases() {
    return Vectors.cases("fold.json", "cases");
  }

  /** Net change per group of the last apply, by contract 2 identity: rows, or cents for gmv. */
  Map<String, Long> netByIdentity() {
    Map<String, Long> m = new TreeMap<>();
    for (Row r : out) {
      String name = (String) r.getField(0);
      if (name.startsWith("_")) continue;
      String id = MetricRecords.identity(
          name, (String) r.getField(1), (Long) r.getField(2), (String) r.getField(3), (String) r.getField(4));
      m.merge(id, (Long) r.getField(5), Long::sum);
    }
    m.values().removeIf(v -> v == 0);
    return m;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void foldsAsTheVectorsSay(String name, JsonNode c) throws Exception {
    JsonNode v = Vectors.read("fold.json");
    java.util.function.Function<String, JsonNode> opt = k -> c.has(k) ? c.get(k) : v.get(k);
    long now = Vectors.instant(opt.apply("now"));
    String dbZone = opt.apply("dbTimeZone").asText();
    // Flink keys the state by order: one entry per order_id here.
    Map<Long, RowState> states = new java.util.HashMap<>();
    long[] current = new long[1];
    ReplayGuard g = new ReplayGuard(new DbTime(opt.apply("timeZone").asText(), dbZone, opt.apply("retentionDays").asInt())) {
      @Override
      void update(RowState s) {
        states.put(current[0], s);
      }
    };
    RowChecks checks = new RowChecks("demo", "order", 86_400_000L, dbZone);
    int i = 0;
    for (JsonNode step : c.get("steps")) {
      i++;
      ObjectNode event = Vectors.MAPPER.createObjectNode().put("database", "demo").put("table", "order");
      event.set("type", step.get("type"));
      event.put("ts", step.has("ts") ? step.get("ts").asDouble() : now / 1000d);
      for (String k : new String[] {"position", "xoffset"}) if (step.has(k)) event.set(k, step.get(k));
      ObjectNode data = v.get("row").deepCopy();
      if (step.has("data")) data.setAll((ObjectNode) step.get("data"));
      event.set("data", data);
      Maxwell.Decoded d = Maxwell.decode(Vectors.MAPPER.writeValueAsString(event), checks, now);
      assertNotNull(d.change, name + ", step " + i + ": " + d.error);
      JsonNode level = step.get("level");
      out.clear();
      current[0] = d.change.orderId;
      String verdict =
          g.apply(d.change, level.isNull() ? null : level.asInt(), states.get(d.change.orderId), now, collector());
      assertEquals(step.get("expect").asText(), verdict, name + ", step " + i);
      Map<String, Long> want = new TreeMap<>();
      step.get("net").fields().forEachRemaining(e -> want.put(e.getKey(), e.getValue().asLong()));
      assertEquals(want, netByIdentity(), name + ", step " + i);
    }
  }

  Collector<Row> collector() {
    return new Collector<Row>() {
      @Override
      public void collect(Row r) {
        out.add(r);
      }

      @Override
      public void close() {}
    };
  }

  /** Java only: the state's day, and every delta stamped with the change's time. */
  @Test
  void theStateKeepsTheDayAndDeltasCarryTheChangeTime() throws Exception {
    assertEquals("applied", apply(change("insert", "paid", "Xi'an", 99.5, "b.1:10"), 3));
    assertEquals(TODAY, state.day);
    assertTrue(out.stream().allMatch(r -> (Double) r.getField(7) == NOW));
  }

  @Test
  void aCreateTimeThatIsNoDatetimeIsMalformed() throws Exception {
    Maxwell.Change c = change("insert", "paid", "Xi'an", 99.5, null);
    c.createTime = "2026-11-29 10:00:61";
    assertEquals("malformed", apply(c, null));
    c.createTime = "yesterday";
    assertEquals("malformed", apply(c, null));
  }
}
