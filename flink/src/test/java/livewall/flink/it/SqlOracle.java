package livewall.flink.it;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.IntNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.NullNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.TextNode;

/**
 * test/support/sqlOracle.ts in Java: the source tables, DESIGN.md's metrics table as MariaDB's own
 * GROUP BYs, and what a screen holds after folding the metric stream (contract 2). Both sides key
 * a value by the identity (name, window, start, dims) with each dims value as JSON text, so a
 * null level stays distinct from any level.
 */
final class SqlOracle {
  private SqlOracle() {}

  private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
  private static final String SOLD = "status IN ('paid','shipping','finished')";

  /** The workshop's tables; the session runs in `zone` (a fixed offset: MariaDB has no zone tables here). */
  static void setUp(Connection conn, ZoneId zone) throws Exception {
    try (Statement s = conn.createStatement()) {
      String offset = zone.getRules().getOffset(Instant.now()).getId();
      s.execute("SET time_zone = '" + (offset.equals("Z") ? "+00:00" : offset) + "'");
      // The same DDL as ORDER_TABLE_DDL in src/main/mysql/orderSchema.ts (test/main/mysql/orderDdl.test.ts compares them).
      s.execute(
          "CREATE TABLE IF NOT EXISTS `order` (order_id INT AUTO_INCREMENT NOT NULL,"
              + " user_mail varchar(20) NOT NULL, status char(10) NOT NULL, good_count INT NOT NULL,"
              + " city varchar(20) NOT NULL, amount FLOAT NOT NULL, create_time datetime NOT NULL,"
              + " update_time datetime NOT NULL, PRIMARY KEY (order_id)) DEFAULT CHARSET=utf8mb4");
      // The same DDL as CUSTOMER_TABLE_DDL (compared by the same test).
      s.execute(
          "CREATE TABLE IF NOT EXISTS customer (email varchar(20) NOT NULL, level INT NOT NULL,"
              + " sex varchar(20) NOT NULL, PRIMARY KEY (email)) DEFAULT CHARSET=utf8mb4");
      // guest@example.com has no customer row: its orders must count, with a null level.
      s.execute(
          "INSERT INTO customer VALUES ('pony@qq.com',5,'M'),('jack@163.com',3,'M'),('lucy@gmail.com',2,'F'),('mei@qq.com',4,'F')");
    }
  }

  /** metricIdentity's parts as one key: dims as key=JSON value, sorted by key. */
  static String identity(String name, String window, long start, Map<String, JsonNode> dims) {
    StringBuilder sb = new StringBuilder().append(name).append('|').append(window).append('|').append(start).append('|');
    for (Map.Entry<String, JsonNode> d : new TreeMap<>(dims).entrySet()) {
      sb.append(d.getKey()).append('=').append(d.getValue().toString()).append(';');
    }
    return sb.toString();
  }

  private static long dayMs(String day, ZoneId zone) {
    return LocalDate.parse(day).atStartOfDay(zone).toInstant().toEpochMilli();
  }

  private static long minuteMs(String minute, ZoneId zone) {
    return LocalDateTime.parse(minute, MINUTE).atZone(zone).toInstant().toEpochMilli();
  }

  /** DESIGN.md's metrics table as SQL GROUP BYs on MariaDB itself, days in `zone`: identity → value. */
  static Map<String, Double> sqlView(Connection conn, ZoneId zone) throws Exception {
    Map<String, Double> out = new HashMap<>();
    for (String w : new String[] {"1d", "1m"}) {
      for (String dim : new String[] {null, "city", "status"}) run(conn, zone, out, "orders", w, dim, "COUNT(*)", "1=1", false);
      for (String dim : new String[] {null, "city", "level"}) {
        run(conn, zone, out, "gmv", w, dim, "SUM(ROUND(o.amount*100))", SOLD, true);
      }
    }
    for (String dim : new String[] {null, "city"}) run(conn, zone, out, "paid_orders", "1d", dim, "COUNT(*)", SOLD, false);
    run(conn, zone, out, "cancelled", "1d", null, "COUNT(*)", "status='cancel'", false);
    run(conn, zone, out, "buyers", "1d", null, "COUNT(DISTINCT o.user_mail)", SOLD, false);
    // aov per day, and days with no sale still have aov 0 and buyers 0.
    try (Statement s = conn.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT DATE_FORMAT(create_time,'%Y-%m-%d') b, SUM(IF(" + SOLD + ", ROUND(amount*100), 0)) cents,"
                    + " SUM(" + SOLD + ") paid FROM `order` GROUP BY b")) {
      while (rs.next()) {
        long start = dayMs(rs.getString("b"), zone);
        double cents = rs.getDouble("cents");
        long paid = rs.getLong("paid");
        out.put(identity("aov", "1d", start, Map.of()), paid == 0 ? 0 : cents / 100 / paid);
        out.putIfAbsent(identity("buyers", "1d", start, Map.of()), 0.0);
      }
    }
    return out;
  }

  private static void run(
      Connection conn, ZoneId zone, Map<String, Double> out, String name, String window, String dim, String value, String where, boolean cents)
      throws Exception {
    String bucket = window.equals("1d") ? "DATE_FORMAT(o.create_time,'%Y-%m-%d')" : "DATE_FORMAT(o.create_time,'%Y-%m-%d %H:%i')";
    String dimExpr = "level".equals(dim) ? "c.level" : dim != null ? "o." + dim : "NULL";
    String sql =
        "SELECT " + bucket + " b, " + dimExpr + " d, " + value + " v FROM `order` o"
            + " LEFT JOIN customer c ON c.email = o.user_mail WHERE " + where + " GROUP BY b, d";
    try (Statement s = conn.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        long start = window.equals("1d") ? dayMs(rs.getString("b"), zone) : minuteMs(rs.getString("b"), zone);
        Map<String, JsonNode> dims = new HashMap<>();
        if (dim != null) {
          Object d = rs.getObject("d");
          JsonNode v;
          if (d == null) v = NullNode.getInstance();
          else if (dim.equals("level")) v = IntNode.valueOf(rs.getInt("d"));
          else v = TextNode.valueOf(stripEnd(rs.getString("d")));
          dims.put(dim, v);
        }
        double v = rs.getDouble("v");
        out.put(identity(name, window, start, dims), cents ? v / 100 : v);
      }
    }
  }

  private static String stripEnd(String s) {
    return s.replaceAll("\\s+$", "");
  }

  /**
   * A screen's fold of the metric stream (contract 2): per identity the record with the greatest
   * occur, ties to the one received later; records arrive in shard order.
   */
  static final class Screen {
    private final Map<String, JsonNode> latest = new HashMap<>();
    int records;

    void accept(String text) throws Exception {
      JsonNode r = KinesisHttp.JSON.readTree(text);
      for (String field : new String[] {"name", "value", "occur", "window", "start", "dims"}) {
        if (!r.has(field)) throw new AssertionError("metric record without \"" + field + "\": " + text);
      }
      Map<String, JsonNode> dims = new HashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = r.get("dims").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> d = it.next();
        dims.put(d.getKey(), d.getValue());
      }
      String id = identity(r.get("name").asText(), r.get("window").asText(), r.get("start").asLong(), dims);
      JsonNode seen = latest.get(id);
      if (seen == null || r.get("occur").asDouble() >= seen.get("occur").asDouble()) latest.put(id, r);
      records++;
    }

    /** What the screen shows: the groups emptied to 0 left out (aov and buyers are shown at 0). */
    Map<String, Double> view() {
      Map<String, Double> out = new HashMap<>();
      for (Map.Entry<String, JsonNode> e : latest.entrySet()) {
        JsonNode r = e.getValue();
        double v = r.get("value").asDouble();
        String name = r.get("name").asText();
        if (v != 0 || name.equals("aov") || name.equals("buyers")) out.put(e.getKey(), v);
      }
      return out;
    }
  }

  /** The first {@code limit} identities whose values differ, one line each. */
  static List<String> differences(Map<String, Double> sql, Map<String, Double> screen, int limit) {
    List<String> out = new ArrayList<>();
    TreeSet<String> keys = new TreeSet<>(sql.keySet());
    keys.addAll(screen.keySet());
    for (String k : keys) {
      Double a = sql.get(k);
      Double b = screen.get(k);
      if (a == null || b == null || Double.compare(a, b) != 0) {
        out.add(k + ": sql " + a + " metric " + b);
        if (out.size() >= limit) break;
      }
    }
    return out;
  }
}
