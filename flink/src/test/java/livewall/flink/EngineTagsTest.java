package livewall.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EngineTagsTest {
  @Test
  void localAndManagedKinds() {
    Map<String, String> local = EngineTags.tags(false, 2, 1_700_000_000_000L);
    assertEquals("flink", local.get(EngineTags.ENGINE));
    assertTrue(local.get(EngineTags.DETAIL).startsWith("Flink 1."), local.get(EngineTags.DETAIL));
    assertTrue(local.get(EngineTags.DETAIL).contains(" parallelism 2 on "), local.get(EngineTags.DETAIL));
    assertEquals("1700000000000", local.get(EngineTags.SINCE));
    assertEquals("none", local.get(EngineTags.SKIPPED));
    Map<String, String> managed = EngineTags.tags(true, -1, 1L);
    assertEquals("managed-flink", managed.get(EngineTags.ENGINE));
    assertTrue(managed.get(EngineTags.DETAIL).endsWith(" on Managed Service for Apache Flink"));
  }

  @Test
  void tagValuesKeepOnlyWhatKinesisAccepts() {
    // The same rule as engineTags.ts's tagValue: `:` `(` `,` `%` become spaces, runs collapse.
    assertEquals("Flink 1.19.3 p 2 host-a.b @x=y+z/w", EngineTags.tagValue("Flink 1.19.3 (p: 2), host-a.b %@x=y+z/w"));
    assertEquals(256, EngineTags.tagValue("x".repeat(300)).length());
    assertEquals("上海 西安", EngineTags.tagValue("上海, 西安"));
  }
}
