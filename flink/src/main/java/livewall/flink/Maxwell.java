package livewall.flink;

import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Contract 1 (Maxwell's JSON) decoded with the same checks as src/shared/parse.ts: a change of
 * the `order` table with a complete row, a well-formed event that is not ours (ignored), or a
 * malformed one (with the reason).
 */
public final class Maxwell {
  private Maxwell() {}

  private static final ObjectMapper MAPPER = new ObjectMapper();

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

  /** What a record turned out to be: a change, ignored (another table, a marker) or malformed. */
  public static final class Decoded {
    public final Change change;
    public final String error;
    public final boolean ignored;

    private Decoded(Change change, String error, boolean ignored) {
      this.change = change;
      this.error = error;
      this.ignored = ignored;
    }

    static Decoded ok(Change c) {
      return new Decoded(c, null, false);
    }

    static Decoded ignored() {
      return new Decoded(null, null, true);
    }

    static Decoded malformed(String error) {
      return new Decoded(null, error, false);
    }
  }

  public static Decoded decode(String text, String table) {
    JsonNode e;
    try {
      e = MAPPER.readTree(text);
    } catch (Exception err) {
      return Decoded.malformed("change event: not JSON");
    }
    if (e == null || !e.isObject()) return Decoded.malformed("change event: not a JSON object");
    if (!e.path("database").isTextual()) return Decoded.malformed("change event: \"database\" must be a string");
    if (!e.path("table").isTextual()) return Decoded.malformed("change event: \"table\" must be a string");
    JsonNode typeNode = e.path("type");
    String type = typeNode.isTextual() ? changeType(typeNode.asText()) : null;
    if (type == null) return Decoded.malformed("change event: unknown \"type\" " + typeNode);
    if (type.equals("skip")) return Decoded.ignored();
    JsonNode ts = e.path("ts");
    if (!isFinite(ts)) return Decoded.malformed("change event: \"ts\" must be a number of seconds");
    JsonNode data = e.path("data");
    if (!data.isObject()) return Decoded.malformed("change event: \"data\" must be an object");
    JsonNode old = e.get("old");
    if (old != null && !old.isNull() && !old.isObject()) {
      return Decoded.malformed("change event: \"old\" must be an object");
    }
    if (!e.get("table").asText().equals(table)) return Decoded.ignored();

    JsonNode id = data.path("order_id");
    if (!isInteger(id)) return Decoded.malformed("order row: \"order_id\" must be an integer");
    for (String k : new String[] {"user_mail", "status", "city", "create_time", "update_time"}) {
      if (!data.path(k).isTextual()) return Decoded.malformed("order row: \"" + k + "\" must be a string");
    }
    if (!isFinite(data.path("amount"))) return Decoded.malformed("order row: \"amount\" must be a number");
    if (!isInteger(data.path("good_count"))) {
      return Decoded.malformed("order row: \"good_count\" must be an integer");
    }
    Change c = new Change();
    c.orderId = (long) id.asDouble();
    c.userMail = data.get("user_mail").asText();
    c.status = trimEnd(data.get("status").asText());
    c.goodCount = (long) data.get("good_count").asDouble();
    c.city = data.get("city").asText();
    c.amount = data.get("amount").asDouble();
    c.createTime = data.get("create_time").asText();
    c.updateTime = data.get("update_time").asText();
    c.type = type;
    c.ts = ts.asDouble();
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
