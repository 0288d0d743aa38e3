package livewall.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The job's stream tags against test/vectors/tags.json, the rules engineTags.ts is held to. */
class EngineTagsTest {
  static final JsonNode V = Vectors.read("tags.json");

  static Stream<Arguments> tagValue() {
    return Vectors.cases("tags.json", "tagValue");
  }

  static Stream<Arguments> since() {
    return Vectors.cases("tags.json", "since");
  }

  @Test
  void theTagNamesKindsAndWhatANewRunWrites() {
    JsonNode names = V.get("names");
    assertEquals(names.get("engine").asText(), EngineTags.ENGINE);
    assertEquals(names.get("detail").asText(), EngineTags.DETAIL);
    assertEquals(names.get("since").asText(), EngineTags.SINCE);
    assertEquals(names.get("skipped").asText(), EngineTags.SKIPPED);
    List<String> kinds = new ArrayList<>();
    V.get("kinds").forEach(k -> kinds.add(k.asText()));
    for (boolean managed : new boolean[] {false, true}) {
      Map<String, String> t = EngineTags.tags(managed, 2, 1L);
      assertTrue(kinds.contains(t.get(EngineTags.ENGINE)), t.get(EngineTags.ENGINE));
      assertEquals(V.get("skippedAtStart").asText(), t.get(EngineTags.SKIPPED));
      assertEquals(t.get(EngineTags.DETAIL), EngineTags.tagValue(t.get(EngineTags.DETAIL)), "a valid tag value");
    }
  }

  /** Java only: what the job says of itself. */
  @Test
  void localAndManagedKinds() {
    Map<String, String> local = EngineTags.tags(false, 2, 1_700_000_000_000L);
    assertEquals("flink", local.get(EngineTags.ENGINE));
    assertTrue(local.get(EngineTags.DETAIL).startsWith("Flink 1."), local.get(EngineTags.DETAIL));
    assertTrue(local.get(EngineTags.DETAIL).contains(" parallelism 2 on "), local.get(EngineTags.DETAIL));
    Map<String, String> managed = EngineTags.tags(true, -1, 1L);
    assertEquals("managed-flink", managed.get(EngineTags.ENGINE));
    assertTrue(managed.get(EngineTags.DETAIL).endsWith(" on Managed Service for Apache Flink"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void since(String name, JsonNode c) {
    assertEquals(c.get("text").asText(), EngineTags.tags(false, 1, c.get("since").asLong()).get(EngineTags.SINCE), name);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void tagValue(String name, JsonNode c) {
    assertEquals(c.get("want").asText(), EngineTags.tagValue(c.get("text").asText()), name);
  }
}
