package livewall.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The job's decoding against test/vectors/rowChecks.json, the statement both engines test
 * against: which change events are folded, ignored, or skipped and with which reason.
 */
class RowChecksTest {
  static final ObjectMapper MAPPER = Vectors.MAPPER;

  static JsonNode vectors() {
    return Vectors.read("rowChecks.json");
  }

  static Stream<Arguments> cases() {
    return Vectors.cases("rowChecks.json", "cases");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void decodesAsTheVectorsSay(String name, JsonNode c) throws IOException {
    JsonNode v = vectors();
    String zone = (c.has("dbTimeZone") ? c : v).get("dbTimeZone").asText();
    RowChecks checks =
        new RowChecks(v.get("database").asText(), v.get("table").asText(), v.get("maxFutureMs").asLong(), zone);
    JsonNode input = c.get("input");
    String text = input.isTextual() ? input.asText() : MAPPER.writeValueAsString(input);
    Maxwell.Decoded d = Maxwell.decode(text, checks, v.get("now").asLong());
    String expect = c.get("expect").asText();
    String got = d.change != null ? "ok" : d.ignored ? "ignored" : d.reason;
    assertEquals(expect, got, name + (d.error != null ? " (" + d.error + ")" : ""));
    if (d.reason != null) assertNotNull(d.error, "a skipped record says why");
    if (c.has("error")) assertEquals(c.get("error").asText(), d.error, name);
    if (c.has("change")) {
      Iterator<Map.Entry<String, JsonNode>> fields = c.get("change").fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> f = fields.next();
        JsonNode want = f.getValue();
        JsonNode value = field(d.change, f.getKey());
        // Numbers by value: the vectors' 7 is the job's long 7 and its double 7.0.
        if (want.isNumber() && value.isNumber()) assertEquals(want.asDouble(), value.asDouble(), name + ": " + f.getKey());
        else assertEquals(want, value, name + ": " + f.getKey());
      }
    }
  }

  /** A decoded change's field as the vectors name it (the row's column names), as JSON. */
  static JsonNode field(Maxwell.Change c, String name) {
    Object v;
    switch (name) {
      case "type": v = c.type; break;
      case "ts": v = c.ts; break;
      case "order_id": v = c.orderId; break;
      case "user_mail": v = c.userMail; break;
      case "status": v = c.status; break;
      case "good_count": v = c.goodCount; break;
      case "city": v = c.city; break;
      case "amount": v = c.amount; break;
      case "create_time": v = c.createTime; break;
      case "update_time": v = c.updateTime; break;
      default: throw new IllegalArgumentException("no field " + name + " in a decoded change");
    }
    return MAPPER.valueToTree(v);
  }

  @Test
  void everyReasonOfTheVectorsIsOneTheJobCounts() throws IOException {
    List<String> reasons = List.of(RowChecks.REASONS);
    int cases = 0;
    for (JsonNode c : vectors().get("cases")) {
      String expect = c.get("expect").asText();
      if (!expect.equals("ok") && !expect.equals("ignored")) assertTrue(reasons.contains(expect), expect);
      cases++;
    }
    assertTrue(cases >= 20, "the vectors were read");
  }

  @Test
  void centsAreExactOrRefused() {
    assertEquals(1050L, RowChecks.cents(10.5));
    assertEquals(-525L, RowChecks.cents(-5.25));
    assertEquals(null, RowChecks.cents(1e307), "not Long.MAX_VALUE cents");
    assertEquals(null, RowChecks.cents(Double.POSITIVE_INFINITY));
    assertEquals(null, RowChecks.cents(91e12));
    assertEquals(9_000_000_000_000_000L, RowChecks.cents(90e12));
  }
}
