package livewall.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MaxwellTest {
  static final String ROW =
      "\"data\":{\"order_id\":7,\"user_mail\":\"pony@qq.com\",\"status\":\"paid      \",\"good_count\":2,"
          + "\"city\":\"Xi'an\",\"amount\":99.5,\"create_time\":\"2026-11-24 10:00:01\",\"update_time\":\"2026-11-24 10:02:13\"}";

  static final RowChecks CHECKS = new RowChecks("demo", "order", 86_400_000L, "UTC");
  static final long NOW = 1795521600000L; // 2026-11-24 12:00 UTC

  static Maxwell.Decoded decode(String text) {
    return Maxwell.decode(text, CHECKS, NOW);
  }

  static String event(String type, String extra) {
    return "{\"database\":\"demo\",\"table\":\"order\",\"type\":\"" + type + "\",\"ts\":1732440000," + ROW + extra + "}";
  }

  @Test
  void decodesContract1() {
    Maxwell.Decoded d =
        decode(event("update", ",\"old\":{\"status\":\"unpaid\"},\"position\":\"mysql-bin.000003:4567\",\"xoffset\":2"));
    Maxwell.Change c = d.change;
    assertEquals(7, c.orderId);
    assertEquals("paid", c.status, "char(10) padding trimmed");
    assertEquals(99.5, c.amount);
    assertEquals("update", c.type);
    assertEquals(1732440000d, c.ts);
    assertEquals("mysql-bin.000003\u000000000000000000004567\u00000000000002", c.version);
  }

  /** Which records are folded, and each malformed sentence: test/vectors/rowChecks.json (RowChecksTest). */
  @Test
  void aSkippedRecordKeepsItsOrderId() {
    Maxwell.Decoded other = decode(event("insert", "").replace("\"table\":\"order\"", "\"table\":\"customer\""));
    assertEquals(RowChecks.OTHER_TABLE, other.reason);
    assertEquals(7L, other.orderId);
  }

  @Test
  void versionsSortLikeTheBinlog() {
    String a = Maxwell.versionOf("bin.000001:900", 0d);
    String b = Maxwell.versionOf("bin.000001:1000", 0d);
    String c = Maxwell.versionOf("bin.000001:1000", 1d);
    String d = Maxwell.versionOf("bin.000002:4", null);
    assertTrue(a.compareTo(b) < 0 && b.compareTo(c) < 0 && c.compareTo(d) < 0);
    assertNull(Maxwell.versionOf("no-offset", 0d));
    assertNull(Maxwell.versionOf(null, 1d));
  }
}
