package livewall.flink;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.provider.Arguments;

/**
 * test/vectors/*.json, the one statement of the engine's rules that the TypeScript engine's
 * vitest tests read too (test/support/vectors.ts): Maven runs in flink/, so they are ../test/vectors.
 */
final class Vectors {
  private Vectors() {}

  static final ObjectMapper MAPPER = new ObjectMapper();

  /** A vectors file, parsed. */
  static JsonNode read(String file) {
    try {
      return MAPPER.readTree(new File("../test/vectors/" + file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The cases of one array of a file, each as (name, case) for a parameterized test. */
  static Stream<Arguments> cases(String file, String section) {
    JsonNode list = read(file).get(section);
    if (list == null || !list.isArray() || list.size() == 0) {
      throw new IllegalStateException(file + " has no cases in \"" + section + "\"");
    }
    List<Arguments> out = new ArrayList<>();
    for (JsonNode c : list) out.add(Arguments.of(c.get("name").asText(), c));
    return out.stream();
  }

  /** An ISO 8601 instant of the vectors as epoch ms. */
  static long instant(JsonNode iso) {
    return Instant.parse(iso.asText()).toEpochMilli();
  }
}
