package livewall.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Numbers and strings as JavaScript prints them: test/vectors/numbers.json, read by vitest too. */
class JsJsonTest {
  static Stream<Arguments> number() {
    return Vectors.cases("numbers.json", "number");
  }

  static Stream<Arguments> cents() {
    return Vectors.cases("numbers.json", "cents");
  }

  static Stream<Arguments> aov() {
    return Vectors.cases("numbers.json", "aov");
  }

  static Stream<Arguments> string() {
    return Vectors.cases("numbers.json", "string");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void number(String name, JsonNode c) {
    assertEquals(c.get("text").asText(), JsJson.number(Double.parseDouble(c.get("input").asText())), name);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void cents(String name, JsonNode c) {
    assertEquals(c.get("text").asText(), JsJson.cents(c.get("cents").asLong()), name);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void aov(String name, JsonNode c) {
    assertEquals(c.get("text").asText(), MetricRecords.aov(c.get("cents").asLong(), c.get("paid").asLong()), name);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void string(String name, JsonNode c) {
    assertEquals(c.get("text").asText(), JsJson.string(c.get("input").asText()), name);
  }

  /** Beyond the vectors: every cents text is the number text of cents / 100. */
  @Test
  void centsAsJavaScriptPrintsCentsOver100() {
    for (long c = -1000; c <= 1000; c += 7) assertEquals(JsJson.number(c / 100d), JsJson.cents(c), "cents " + c);
  }
}
