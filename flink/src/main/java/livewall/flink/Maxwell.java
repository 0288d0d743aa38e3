package livewall.flink;

import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.DeserializationFeature;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Contract 1 (Maxwell's JSON) decoded with the same checks as src/shared/parse.ts and
 * test/vectors/rowChecks.json: a change of the configured database's `order` table with a
 * complete row in range, a bootstrap marker (ignored), or a record skipped with its reason.
 */
public final class Maxwell {
  private Maxwell() {}

  /** As strict as JSON.parse: text after the value is not JSON. */
  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  /** One decoded change of the order table. */
  public static final class Change {
    public long orderId;
    public String userMail;
    public String status;
    public long goodCount;
    public String city;
    public double amount;
    public String createTime;
    public String updateTime;
    /** insert, update or delete (a bootstrap-insert is an insert). */
    public String type;
    /** Seconds. */
    public double ts;
    /** Comparable binlog position, or null when the event has none. */
    public String version;
  }

  /**
   * What a record turned out to be: a change to fold, ignored (a bootstrap marker), or skipped
   * with one of {@link RowChecks#REASONS} and a message that says what was wrong.
   */
  public static final class Decoded {
    public final Change change;
    /** Null when folded or ignored. */
    public final String reason;
    public final String error;
    public final boolean ignored;
    /** The row's order_id when it was read before the record was skipped, else null. */
    public final Long orderId;

    private Decoded(Change change, String reason, String error, boolean ignored, Long orderId) {
      this.change = change;
      this.reason = reason;
      this.error = error;
      this.ignored = ignored;
      this.orderId = orderId;
    }

    static Decoded ok(Change c) {
      return new Decoded(c, null, null, false, null);
    }

    static Decoded ignored() {
      return new Decoded(null, null, null, true, null);
    }

    static Decoded malformed(String error) {
      return new Decoded(null, RowChecks.MALFORMED, error, false, null);
    }

    static Decoded skipped(String reason, String error, Long orderId) {
      return new Decoded(null, reason, error, false, orderId);
    }
  }

  /**
   * A record checked against {@code checks} at wall-clock time {@code now} (epoch ms), in the
   * order of test/vectors/rowChecks.json: JSON, the event's fields, the database, the table, the
   * row's columns, then the ranges of ts, amount and create_time.
   */
  public static Decoded decode(String text, RowChecks checks, long now) {
    if (text == null) return Decoded.malformed("change event: not UTF-8");
    JsonNode e;
    try {
      e = MAPPER.readTree(text);
    } catch (Exception err) {
      return Decoded.malformed("change event: not JSON");
    }
    // An empty record reads as no value at all, as JSON.parse refuses it.
    if (e == null || e.isMissingNode()) return Decoded.malformed("change event: not JSON");
    if (!e.isObject()) return Decoded.malformed("change event: not a JSON object");
    if (!e.path("database").isTextual()) return Decoded.malformed("change event: \"database\" must be a string");
    if (!e.path("table").isTextual()) return Decoded.malformed("change event: \"table\" must be a string");
    JsonNode typeNode = e.path("type");
    String type = typeNode.isTextual() ? changeType(typeNode.asText()) : null;
    if (type == null) return Decoded.malformed("change event: unknown \"type\" " + typeNode);
    // A bootstrap marker carries no row, whichever table it names.
    if (type.equals("skip")) return Decoded.ignored();
    JsonNode ts = e.path("ts");
    // 1e400 parses as infinity: no number of seconds, as in the TypeScript engine.
    if (!isFinite(ts)) return Decoded.malformed("change event: \"ts\" must be a number of seconds");
    JsonNode data = e.path("data");
    if (!data.isObject()) return Decoded.malformed("change event: \"data\" must be an object");
    JsonNode old = e.get("old");
    if (old != null && !old.isNull() && !old.isObject()) {
      return Decoded.malformed("change event: \"old\" must be an object");
    }
    Long id = isInteger(data.path("order_id")) ? (long) data.path("order_id").asDouble() : null;
    String database = e.get("database").asText();
    if (!database.equals(checks.database)) {
      return Decoded.skipped(
          RowChecks.OTHER_DATABASE, "database " + JsJson.string(database) + ", not " + JsJson.string(checks.database), id);
    }
    String table = e.get("table").asText();
    if (!table.equals(checks.table)) {
      return Decoded.skipped(RowChecks.OTHER_TABLE, "table " + JsJson.string(table) + ", not " + JsJson.string(checks.table), id);
    }

    if (id == null) return Decoded.malformed("order row: \"order_id\" must be an integer");
    for (String k : new String[] {"user_mail", "status", "city", "create_time", "update_time"}) {
      if (!data.path(k).isTextual()) return Decoded.malformed("order row: \"" + k + "\" must be a string");
    }
    if (!isFinite(data.path("amount"))) return Decoded.malformed("order row: \"amount\" must be a number");
    if (!isInteger(data.path("good_count"))) {
      return Decoded.malformed("order row: \"good_count\" must be an integer");
    }
    double seconds = ts.asDouble();
    // ts beyond now + tolerance (1e306, or milliseconds by mistake) would become every metric's occur.
    if (!(seconds >= 0 && seconds * 1000 <= now + checks.maxFutureMs)) {
      return Decoded.skipped(RowChecks.TS_OUT_OF_RANGE, "ts " + JsJson.number(seconds) + " s is out of range", id);
    }
    double amount = data.get("amount").asDouble();
    if (RowChecks.cents(amount) == null) {
      return Decoded.skipped(
          RowChecks.AMOUNT_OUT_OF_RANGE, "amount " + JsJson.number(amount) + " is beyond ±(2^53 − 1) cents", id);
    }
    String createTime = data.get("create_time").asText();
    Long created = checks.time.createdAt(createTime);
    if (created == null) {
      return Decoded.skipped(
          RowChecks.CREATE_TIME_INVALID, "create_time " + JsJson.string(createTime) + " is not a datetime", id);
    }
    if (created > now + checks.maxFutureMs) {
      return Decoded.skipped(
          RowChecks.CREATE_TIME_FUTURE, "create_time " + JsJson.string(createTime) + " is in the future", id);
    }
    Change c = new Change();
    c.orderId = id;
    c.userMail = data.get("user_mail").asText();
    String status = data.get("status").asText();
    // char(10)'s padding: trimmed when the status ends in a space, as the TypeScript engine does.
    c.status = status.endsWith(" ") ? trimEnd(status) : status;
    c.goodCount = (long) data.get("good_count").asDouble();
    c.city = data.get("city").asText();
    c.amount = amount;
    c.createTime = createTime;
    c.updateTime = data.get("update_time").asText();
    c.type = type;
    c.ts = seconds;
    JsonNode position = e.get("position");
    JsonNode xoffset = e.get("xoffset");
    c.version = versionOf(
        position != null && position.isTextual() ? position.asText() : null,
        xoffset != null && isFinite(xoffset) ? xoffset.asDouble() : null);
    return Decoded.ok(c);
  }

  /** Maxwell's types; bootstrap markers carry no row ("skip"). */
  static String changeType(String t) {
    switch (t) {
      case "insert":
      case "bootstrap-insert":
        return "insert";
      case "update":
        return "update";
      case "delete":
        return "delete";
      case "bootstrap-start":
      case "bootstrap-complete":
        return "skip";
      default:
        return null;
    }
  }

  /**
   * A string that sorts like the binlog: file name, zero-padded offset, then the row's place in
   * its transaction (the engine's versionOf). Null without a position.
   */
  public static String versionOf(String position, Double xoffset) {
    if (position == null) return null;
    int colon = position.lastIndexOf(':');
    if (colon < 0) return null;
    String offset = position.substring(colon + 1);
    if (offset.isEmpty() || !offset.chars().allMatch(ch -> ch >= '0' && ch <= '9')) return null;
    String x = JsJson.number(xoffset == null ? 0 : xoffset);
    return position.substring(0, colon) + '\u0000' + padStart(offset, 20) + '\u0000' + padStart(x, 10);
  }

  private static String padStart(String s, int width) {
    StringBuilder sb = new StringBuilder();
    for (int i = s.length(); i < width; i++) sb.append('0');
    return sb.append(s).toString();
  }

  private static boolean isFinite(JsonNode n) {
    return n != null && n.isNumber() && Double.isFinite(n.asDouble());
  }

  private static boolean isInteger(JsonNode n) {
    if (n == null || !n.isNumber()) return false;
    double d = n.asDouble();
    return Double.isFinite(d) && d == Math.rint(d);
  }

  /** JavaScript's trimEnd: white space and line terminators. */
  static String trimEnd(String s) {
    int end = s.length();
    while (end > 0) {
      char c = s.charAt(end - 1);
      if (Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\uFEFF') end--;
      else break;
    }
    return s.substring(0, end);
  }

}
