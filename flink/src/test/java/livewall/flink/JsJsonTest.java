package livewall.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Expected texts are what Node's JSON.stringify printed for the same values. */
class JsJsonTest {
  @Test
  void numbersAsJavaScriptPrintsThem() {
    Object[][] table = {
      {99.5, "99.5"},
      {100d, "100"},
      {0.1 + 0.2, "0.30000000000000004"},
      {1e21, "1e+21"},
      {1.5e-7, "1.5e-7"},
      {0.000001, "0.000001"},
      {123456789012345680000d, "123456789012345680000"},
      {9007199254740994d, "9007199254740994"},
      {-0.5, "-0.5"},
      {1 / 3d, "0.3333333333333333"},
      {5e-324, "5e-324"},
      {1.7976931348623157e308, "1.7976931348623157e+308"},
      {0.001, "0.001"},
      {12.34, "12.34"},
      {-1234.5, "-1234.5"},
      {-0d, "0"},
      {Double.NaN, "null"},
    };
    for (Object[] row : table) assertEquals(row[1], JsJson.number((Double) row[0]), "for " + row[0]);
  }

  @Test
  void centsAsJavaScriptPrintsCentsOver100() {
    assertEquals("1234.5", JsJson.cents(123450));
    assertEquals("0.05", JsJson.cents(5));
    assertEquals("-0.05", JsJson.cents(-5));
    assertEquals("7", JsJson.cents(700));
    assertEquals("0.1", JsJson.cents(10));
    assertEquals("12.34", JsJson.cents(1234));
    for (long c = -1000; c <= 1000; c += 7) assertEquals(JsJson.number(c / 100d), JsJson.cents(c), "cents " + c);
  }

  @Test
  void stringsEscapedAsJsonStringify() {
    assertEquals(
        "\"a\\\"\\\\\\b\\f\\n\\r\\t\\u0001\\u001f/é中\\ud800x\\udc00\"",
        JsJson.string("a\"\\\b\f\n\r\t\u0001\u001f/é中\ud800x\udc00"));
    assertEquals("\"😀\"", JsJson.string("😀"));
  }
}
