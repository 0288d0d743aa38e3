package livewall.flink;

/**
 * Contract 2's record text, identity and partition key, byte for byte as `livewall engine` writes
 * them (JSON.stringify of {name, value, occur, window, start, dims}; src/shared/identity.ts).
 */
public final class MetricRecords {
  private MetricRecords() {}

  /**
   * A record. {@code dimKey} is "" for the total; {@code dimJson} is the dimension's value as JSON
   * text (a string literal, a number or null); {@code valueText} the value already as JS prints it.
   */
  public static String record(
      String name, String valueText, double occur, String window, long start, String dimKey, String dimJson) {
    StringBuilder sb = new StringBuilder(128);
    sb.append("{\"name\":");
    JsJson.appendString(sb, name);
    sb.append(",\"value\":").append(valueText);
    sb.append(",\"occur\":").append(JsJson.number(occur));
    sb.append(",\"window\":");
    JsJson.appendString(sb, window);
    sb.append(",\"start\":").append(start);
    sb.append(",\"dims\":{");
    if (!dimKey.isEmpty()) {
      JsJson.appendString(sb, dimKey);
      sb.append(':').append(dimJson);
    }
    return sb.append("}}").toString();
  }

  /** metricIdentity: JSON of [name, window, start, [[key, value], ...]] (one dimension at most). */
  public static String identity(String name, String window, long start, String dimKey, String dimJson) {
    StringBuilder sb = new StringBuilder(64);
    sb.append('[');
    JsJson.appendString(sb, name);
    sb.append(',');
    JsJson.appendString(sb, window);
    sb.append(',').append(start).append(",[");
    if (!dimKey.isEmpty()) {
      sb.append('[');
      JsJson.appendString(sb, dimKey);
      sb.append(',').append(dimJson).append(']');
    }
    return sb.append("]]").toString();
  }

  /** metricPartitionKey: the identity, or a hash of it when longer than Kinesis allows. */
  public static String partitionKey(String identity) {
    String key = asciiKey(identity);
    return key.length() <= 256 ? key : "h:" + fnv1a(identity);
  }

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  /**
   * Non-ASCII characters (and `%`) as `%XX` of their UTF-8 bytes, as identity.ts's asciiKey. The
   * connector's KinesisStreamsStateSerializer writes a partition key's length in characters and
   * reads that many bytes back, so a buffered record keyed `…北京…` corrupts the checkpoint (its
   * restore reads garbage as a size and runs out of memory). ASCII keys are the same either way.
   */
  public static String asciiKey(String text) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      int n = Character.charCount(cp);
      if (cp < 0x80 && cp != '%') {
        out.append((char) cp);
      } else {
        for (byte b : text.substring(i, i + n).getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
          out.append('%').append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
        }
      }
      i += n;
    }
    return out.toString();
  }

  /** 32-bit FNV-1a over UTF-16 code units, 8 hex digits. */
  public static String fnv1a(String text) {
    int h = 0x811c9dc5;
    for (int i = 0; i < text.length(); i++) {
      h ^= text.charAt(i);
      h *= 0x01000193;
    }
    String hex = Integer.toHexString(h);
    return "00000000".substring(hex.length()) + hex;
  }

  /**
   * aov as the engine computes it (contract 2): gmv / paid orders, unrounded, 0 when none; the
   * same two double divisions as JavaScript's cents / 100 / paid, so the text is identical.
   */
  public static String aov(long gmvCents, long paid) {
    if (paid == 0) return "0";
    return JsJson.number((double) gmvCents / 100d / (double) paid);
  }

  /** A wide row (contract 3) in the engine's key order. */
  public static String wideRow(Maxwell.Change c, String sex, Integer level) {
    StringBuilder sb = new StringBuilder(256);
    sb.append("{\"order_id\":").append(JsJson.number(c.orderId));
    sb.append(",\"user_mail\":");
    JsJson.appendString(sb, c.userMail);
    sb.append(",\"status\":");
    JsJson.appendString(sb, c.status);
    sb.append(",\"good_count\":").append(JsJson.number(c.goodCount));
    sb.append(",\"city\":");
    JsJson.appendString(sb, c.city);
    sb.append(",\"amount\":").append(JsJson.number(c.amount));
    sb.append(",\"create_time\":");
    JsJson.appendString(sb, c.createTime);
    sb.append(",\"update_time\":");
    JsJson.appendString(sb, c.updateTime);
    sb.append(",\"sex\":");
    if (sex == null) sb.append("null");
    else JsJson.appendString(sb, sex);
    sb.append(",\"level\":").append(level == null ? "null" : level.toString());
    sb.append(",\"op\":");
    JsJson.appendString(sb, c.type);
    sb.append(",\"ts\":").append(JsJson.number(c.ts * 1000));
    return sb.append('}').toString();
  }
}
