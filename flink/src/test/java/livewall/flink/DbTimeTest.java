package livewall.flink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.util.stream.Stream;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The job's calendar against test/vectors/time.json, the cases src/shared/time.ts is held to. */
class DbTimeTest {
  static Stream<Arguments> dayStart() {
    return Vectors.cases("time.json", "dayStart");
  }

  static Stream<Arguments> parse() {
    return Vectors.cases("time.json", "parse");
  }

  static Stream<Arguments> created() {
    return Vectors.cases("time.json", "created");
  }

  static Stream<Arguments> cutoff() {
    return Vectors.cases("time.json", "cutoff");
  }

  private static String iso(Long ms) {
    return ms == null ? null : Instant.ofEpochMilli(ms).toString();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void dayStart(String name, JsonNode c) {
    String zone = c.get("zone").asText();
    DbTime t = new DbTime(zone, "UTC", 2);
    assertEquals(iso(Vectors.instant(c.get("want"))), iso(t.dayStart(Vectors.instant(c.get("at")))), name);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void parse(String name, JsonNode c) {
    DbTime t = new DbTime("UTC", c.get("zone").asText(), 2);
    JsonNode want = c.get("want");
    assertEquals(want.isNull() ? null : iso(Vectors.instant(want)), iso(t.parseDbDatetime(c.get("text").asText())), name);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void created(String name, JsonNode c) {
    DbTime t = new DbTime(c.get("zone").asText(), c.get("dbZone").asText(), 2);
    String text = c.get("text").asText();
    JsonNode want = c.get("want");
    if (want.isNull()) {
      assertNull(t.createdMinute(text), name);
      assertNull(t.createdAt(text), name);
      return;
    }
    assertArrayEquals(
        new long[] {Vectors.instant(want.get("minute")), Vectors.instant(want.get("day"))}, t.createdMinute(text), name);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void cutoff(String name, JsonNode c) {
    String zone = c.get("zone").asText();
    DbTime t = new DbTime(zone, zone, c.get("retentionDays").asInt());
    assertEquals(iso(Vectors.instant(c.get("want"))), iso(t.cutoff(Vectors.instant(c.get("now")))), name);
  }
}
