package livewall.flink.it;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * test/support/sqlOracle.ts's random workload through JDBC: inserts, updates of status, amount,
 * city and user_mail, a bulk "paid" update and deletes, some in multi-statement transactions, of
 * rows created today and yesterday in the database's zone. Each statement reads the rows it touches before and after,
 * so the events handed to the {@link MaxwellWriter} at commit are what cdc would read off the binlog.
 */
final class Workload {
  static final String[] MAILS = {"pony@qq.com", "jack@163.com", "lucy@gmail.com", "mei@qq.com", "guest@example.com"};
  static final String[] CITIES = {"北京", "上海", "西安", "Xi'an", "成都"};
  static final String[] STATUSES = {"unpaid", "paid", "cancel", "shipping", "finished"};
  private static final DateTimeFormatter DATETIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
  private static final String ROW =
      "SELECT order_id, user_mail, status, good_count, city, amount,"
          + " DATE_FORMAT(create_time, '%Y-%m-%d %H:%i:%s') AS create_time,"
          + " DATE_FORMAT(update_time, '%Y-%m-%d %H:%i:%s') AS update_time FROM `order`";

  private final Connection conn;
  private final MaxwellWriter cdc;
  /** The database's zone: rows are created today and yesterday in it. */
  private final ZoneId zone;

  Workload(Connection conn, MaxwellWriter cdc, ZoneId zone) {
    this.conn = conn;
    this.cdc = cdc;
    this.zone = zone;
  }

  /** mulberry32, as src/main/lib/random.ts, so a seed means the same choices in both tests. */
  static final class Random {
    private int a;

    Random(int seed) {
      a = seed;
    }

    double next() {
      a += 0x6d2b79f5;
      int t = a;
      t = (t ^ (t >>> 15)) * (t | 1);
      t ^= t + (t ^ (t >>> 7)) * (t | 61);
      return ((t ^ (t >>> 14)) & 0xffffffffL) / 4294967296.0;
    }

    <T> T pick(T[] xs) {
      return xs[(int) Math.floor(next() * xs.length)];
    }
  }

  /** {@code count} random statements; some run as multi-statement transactions. */
  void run(int seed, int count) throws Exception {
    Random rnd = new Random(seed);
    long now = System.currentTimeMillis();
    // Rows created today and yesterday (the days the engine keeps), in the database's zone.
    long earliest = LocalDate.now(zone).minusDays(1).atStartOfDay(zone).toInstant().toEpochMilli();
    for (int i = 0; i < count; ) {
      int txn = rnd.next() < 0.2 ? 1 + (int) Math.floor(rnd.next() * 4) : 1;
      conn.setAutoCommit(false);
      List<MaxwellWriter.RowChange> changes = new ArrayList<>();
      for (int k = 0; k < txn; k++, i++) {
        Integer id = randomId();
        double x = rnd.next();
        if (x < 0.4 || id == null) {
          long created = earliest + (long) Math.floor(rnd.next() * (now - earliest));
          String t = DATETIME.format(Instant.ofEpochMilli(created).atZone(zone));
          String mail = rnd.pick(MAILS);
          String status = rnd.pick(STATUSES);
          int goodCount = 1 + (int) Math.floor(rnd.next() * 10);
          insert(mail, status, goodCount, rnd.pick(CITIES), amount(rnd), t, changes);
        } else if (x < 0.55) {
          update("status", rnd.pick(STATUSES), id, changes);
        } else if (x < 0.65) {
          update("amount", amount(rnd), id, changes);
        } else if (x < 0.75) {
          update("city", rnd.pick(CITIES), id, changes);
        } else if (x < 0.85) {
          update("user_mail", rnd.pick(MAILS), id, changes);
        } else if (x < 0.9) {
          paidInCity(rnd.pick(CITIES), changes);
        } else {
          delete(id, changes);
        }
      }
      conn.commit();
      conn.setAutoCommit(true);
      cdc.commit(changes);
    }
  }

  private static double amount(Random rnd) {
    return Math.round(rnd.next() * 99_000 + 1_000) / 100.0;
  }

  private Integer randomId() throws Exception {
    try (Statement s = conn.createStatement();
        ResultSet rs = s.executeQuery("SELECT order_id FROM `order` ORDER BY RAND() LIMIT 1")) {
      return rs.next() ? rs.getInt(1) : null;
    }
  }

  private void insert(
      String mail, String status, int goodCount, String city, double amount, String time, List<MaxwellWriter.RowChange> out)
      throws Exception {
    int id;
    try (PreparedStatement s =
        conn.prepareStatement(
            "INSERT INTO `order` (user_mail,status,good_count,city,amount,create_time,update_time) VALUES (?,?,?,?,?,?,?)",
            Statement.RETURN_GENERATED_KEYS)) {
      s.setString(1, mail);
      s.setString(2, status);
      s.setInt(3, goodCount);
      s.setString(4, city);
      s.setDouble(5, amount);
      s.setString(6, time);
      s.setString(7, time);
      s.executeUpdate();
      try (ResultSet keys = s.getGeneratedKeys()) {
        keys.next();
        id = keys.getInt(1);
      }
    }
    out.add(new MaxwellWriter.RowChange("insert", rowsWhere("order_id = " + id).get(0), null));
  }

  private void update(String column, Object value, int id, List<MaxwellWriter.RowChange> out) throws Exception {
    Map<String, Object> before = rowsWhere("order_id = " + id).get(0);
    try (PreparedStatement s = conn.prepareStatement("UPDATE `order` SET " + column + "=? WHERE order_id=?")) {
      s.setObject(1, value);
      s.setInt(2, id);
      s.executeUpdate();
    }
    changed(before, rowsWhere("order_id = " + id).get(0), out);
  }

  private void paidInCity(String city, List<MaxwellWriter.RowChange> out) throws Exception {
    String where = "status = 'unpaid' AND city = " + quote(city);
    List<Map<String, Object>> before = rowsWhere(where);
    try (PreparedStatement s = conn.prepareStatement("UPDATE `order` SET status='paid' WHERE status='unpaid' AND city=?")) {
      s.setString(1, city);
      s.executeUpdate();
    }
    for (Map<String, Object> b : before) changed(b, rowsWhere("order_id = " + b.get("order_id")).get(0), out);
  }

  private void delete(int id, List<MaxwellWriter.RowChange> out) throws Exception {
    Map<String, Object> before = rowsWhere("order_id = " + id).get(0);
    try (PreparedStatement s = conn.prepareStatement("DELETE FROM `order` WHERE order_id=?")) {
      s.setInt(1, id);
      s.executeUpdate();
    }
    out.add(new MaxwellWriter.RowChange("delete", before, null));
  }

  /** A row the statement left unchanged is not in the binlog (row format logs changed rows only). */
  private static void changed(Map<String, Object> before, Map<String, Object> after, List<MaxwellWriter.RowChange> out) {
    if (!before.equals(after)) out.add(new MaxwellWriter.RowChange("update", after, before));
  }

  /** Rows as cdc decodes them, in column order, by order_id (the order of a primary-key scan). */
  List<Map<String, Object>> rowsWhere(String where) throws Exception {
    List<Map<String, Object>> rows = new ArrayList<>();
    try (Statement s = conn.createStatement();
        ResultSet rs = s.executeQuery(ROW + " WHERE " + where + " ORDER BY order_id")) {
      while (rs.next()) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("order_id", rs.getInt("order_id"));
        r.put("user_mail", rs.getString("user_mail"));
        r.put("status", rs.getString("status"));
        r.put("good_count", rs.getInt("good_count"));
        r.put("city", rs.getString("city"));
        r.put("amount", rs.getFloat("amount"));
        r.put("create_time", rs.getString("create_time"));
        r.put("update_time", rs.getString("update_time"));
        rows.add(r);
      }
    }
    return rows;
  }

  private static String quote(String s) {
    return "'" + s.replace("\\", "\\\\").replace("'", "''") + "'";
  }
}
