package livewall.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/**
 * The whole job against poison (issue 24's findings 2, 3, 5 and 7): a future create_time, ts
 * 1e306, amount 1e307, another table's and another database's events reusing a live order id,
 * and sums past 2^63 cents. What it writes must be the fold of the good events only.
 */
class PoisonTest {
  static final ObjectMapper MAPPER = new ObjectMapper();
  static final long NOW = System.currentTimeMillis();
  static final String TODAY = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
      .withZone(ZoneOffset.UTC)
      .format(Instant.ofEpochMilli(NOW - 60_000));
  static final long DAY = Math.floorDiv(NOW - 60_000, 86_400_000L) * 86_400_000L;

  static String event(String db, String table, String type, Object ts, long id, String city, String amount, String created) {
    return "{\"database\":\"" + db + "\",\"table\":\"" + table + "\",\"type\":\"" + type + "\",\"ts\":" + ts
        + ",\"data\":{\"order_id\":" + id + ",\"user_mail\":\"m" + id + "@x.com\",\"status\":\"paid\","
        + "\"good_count\":1,\"city\":\"" + city + "\",\"amount\":" + amount + ",\"create_time\":\"" + created
        + "\",\"update_time\":\"" + created + "\"}}";
  }

  static String good(String type, long id, String city, String amount) {
    return event("demo", "order", type, NOW / 1000, id, city, amount, TODAY);
  }

  /** The newest record per identity (name, window, start, dims). */
  static Map<String, JsonNode> latest(List<String> records) {
    Map<String, JsonNode> m = new HashMap<>();
    for (String r : records) {
      try {
        JsonNode n = MAPPER.readTree(r);
        m.put(n.get("name").asText() + "|" + n.get("window").asText() + "|" + n.get("start").asLong() + "|" + n.get("dims"), n);
      } catch (Exception e) {
        throw new AssertionError("not JSON: " + r, e);
      }
    }
    return m;
  }

  static double value(List<String> records, String key) {
    JsonNode n = latest(records).get(key);
    return n == null ? Double.NaN : n.get("value").asDouble();
  }

  @Test
  void onlyTheGoodEventsAreFolded() throws Exception {
    long ts = NOW / 1000;
    List<String> events = new ArrayList<>();
    events.add(good("insert", 7, "北京", "10.5"));
    events.add(event("demo", "order", "insert", ts, 20, "FUTURE", "10", "9999-12-31 23:59:59"));
    events.add(event("demo", "order", "insert", "1e306", 21, "TS", "10", TODAY));
    events.add(event("demo", "order", "insert", ts, 22, "AMOUNT", "1e307", TODAY));
    events.add(event("demo", "order", "insert", ts, 23, "FEB30", "10", "2026-02-30 10:00:00"));
    // Another database's order 7 (an insert that would overwrite it, then a delete) and another table's.
    events.add(event("otherdb", "order", "insert", ts, 7, "OTHERDB", "1000", TODAY));
    events.add(event("otherdb", "order", "delete", ts, 7, "OTHERDB", "1000", TODAY));
    events.add(event("demo", "customer", "delete", ts, 7, "CUSTOMER", "1000", TODAY));
    events.add("{\"database\":\"demo\",");
    events.add(good("insert", 8, "上海", "20"));
    String total = "gmv|1d|" + DAY + "|{}";
    String orders = "orders|1d|" + DAY + "|{}";
    try (MemoryPipeline p = new MemoryPipeline(events, MemoryPipeline.options("poison"))) {
      p.waitFor("gmv 30.5 from orders 7 and 8", 60_000, r -> value(r, total) == 30.5 && value(r, orders) == 2);
      Map<String, JsonNode> last = latest(p.records());
      assertEquals(2, value(p.records(), "paid_orders|1d|" + DAY + "|{}"));
      assertEquals(10.5, value(p.records(), "gmv|1d|" + DAY + "|{\"city\":\"北京\"}"), "order 7 is demo's");
      for (JsonNode n : last.values()) {
        String text = n.toString();
        for (String bad : new String[] {"FUTURE", "TS", "AMOUNT", "FEB30", "OTHERDB", "CUSTOMER"}) {
          assertFalse(text.contains("\"" + bad + "\""), "a skipped row was folded: " + text);
        }
        assertEquals(DAY, n.get("start").asLong() - n.get("start").asLong() % 86_400_000L, text);
        assertTrue(n.get("occur").isNumber() && n.get("occur").asDouble() <= NOW + 86_400_000L, text);
        assertTrue(n.get("value").isNumber() && Double.isFinite(n.get("value").asDouble()), text);
      }
    }
  }

  @Test
  void sumsPastTwoToTheSixtyThreeCentsDoNotWrap() throws Exception {
    // 1,100 orders of 9e13 (cents just under 2^53 each): 9.9e18 cents in all, past Long.MAX_VALUE.
    List<String> events = new ArrayList<>();
    for (int i = 1; i <= 1100; i++) events.add(good("insert", i, "C" + (i % 2), "90000000000000"));
    String orders = "orders|1d|" + DAY + "|{}";
    try (MemoryPipeline p = new MemoryPipeline(events, MemoryPipeline.options("overflow"))) {
      p.waitFor("1,100 orders counted", 120_000, r -> value(r, orders) == 1100);
      for (String r : p.records()) {
        JsonNode n = MAPPER.readTree(r);
        if (!n.get("name").asText().equals("gmv") && !n.get("name").asText().equals("aov")) continue;
        double v = n.get("value").asDouble();
        // A wrapped BIGINT sum shows as a negative gmv; an inexact one as more than 2^53 cents.
        // (aov is 0 while the emitter has no paid order of the day yet.)
        boolean gmv = n.get("name").asText().equals("gmv");
        assertTrue((gmv ? v > 0 : v >= 0) && v * 100 <= RowChecks.MAX_CENTS, "gmv or aov out of range: " + r);
      }
      assertEquals(1100, value(p.records(), "paid_orders|1d|" + DAY + "|{}"));
    }
  }
}
