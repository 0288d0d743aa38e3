package livewall.flink;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * JSON text exactly as JavaScript's JSON.stringify writes it, so the records of this job are
 * byte-compatible with those of `livewall engine`: numbers in ECMAScript's shortest round-trip
 * form (100, not 100.0; 1e+21, not 1.0E21) and strings escaped the same way.
 */
public final class JsJson {
  private JsJson() {}

  private static final double TWO_53 = 9007199254740992d;

  /** Number.prototype.toString for a finite double; JSON.stringify writes null for NaN/Infinity. */
  public static String number(double d) {
    if (Double.isNaN(d) || Double.isInfinite(d)) return "null";
    if (d == 0) return "0";
    if (d == Math.rint(d) && Math.abs(d) < TWO_53) return Long.toString((long) d);
    BigDecimal exact = new BigDecimal(d);
    BigDecimal shortest = exact;
    for (int p = 1; p <= 17; p++) {
      BigDecimal candidate = exact.round(new MathContext(p, RoundingMode.HALF_EVEN));
      if (candidate.doubleValue() == d) {
        shortest = candidate;
        break;
      }
    }
    shortest = shortest.stripTrailingZeros();
    String digits = shortest.unscaledValue().abs().toString();
    int k = digits.length();
    // value = digits × 10^(n − k)
    int n = k - shortest.scale();
    StringBuilder sb = new StringBuilder();
    if (d < 0) sb.append('-');
    if (k <= n && n <= 21) {
      sb.append(digits);
      for (int i = 0; i < n - k; i++) sb.append('0');
    } else if (0 < n && n <= 21) {
      sb.append(digits, 0, n).append('.').append(digits, n, k);
    } else if (-6 < n && n <= 0) {
      sb.append("0.");
      for (int i = 0; i < -n; i++) sb.append('0');
      sb.append(digits);
    } else {
      sb.append(digits.charAt(0));
      if (k > 1) sb.append('.').append(digits, 1, k);
      sb.append('e').append(n - 1 >= 0 ? '+' : '-').append(Math.abs(n - 1));
    }
    return sb.toString();
  }

  /**
   * A whole number of cents as JavaScript prints cents / 100. Up to 15 digits the double of the
   * exact decimal prints as that decimal; past them (9007199254740991 cents is 90071992547409.9
   * in JavaScript, not …409.91) only the double's own shortest form is right.
   */
  public static String cents(long cents) {
    if (Math.abs(cents) >= 1_000_000_000_000_000L) return number(cents / 100d);
    if (cents % 100 == 0) return Long.toString(cents / 100);
    StringBuilder sb = new StringBuilder();
    long abs = Math.abs(cents);
    if (cents < 0) sb.append('-');
    sb.append(abs / 100).append('.');
    long frac = abs % 100;
    if (frac < 10) sb.append('0').append(frac);
    else if (frac % 10 == 0) sb.append(frac / 10);
    else sb.append(frac);
    return sb.toString();
  }

  /** JSON.stringify of a string (well-formed: lone surrogates escaped). */
  public static String string(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2);
    appendString(sb, s);
    return sb.toString();
  }

  public static void appendString(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"':
          sb.append("\\\"");
          break;
        case '\\':
          sb.append("\\\\");
          break;
        case '\b':
          sb.append("\\b");
          break;
        case '\f':
          sb.append("\\f");
          break;
        case '\n':
          sb.append("\\n");
          break;
        case '\r':
          sb.append("\\r");
          break;
        case '\t':
          sb.append("\\t");
          break;
        default:
          if (c < 0x20) {
            appendUnicode(sb, c);
          } else if (Character.isHighSurrogate(c)) {
            if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
              sb.append(c).append(s.charAt(++i));
            } else {
              appendUnicode(sb, c);
            }
          } else if (Character.isLowSurrogate(c)) {
            appendUnicode(sb, c);
          } else {
            sb.append(c);
          }
      }
    }
    sb.append('"');
  }

  private static void appendUnicode(StringBuilder sb, char c) {
    String hex = Integer.toHexString(c);
    sb.append("\\u");
    for (int i = hex.length(); i < 4; i++) sb.append('0');
    sb.append(hex);
  }
}
