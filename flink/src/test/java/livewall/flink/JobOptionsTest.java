package livewall.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class JobOptionsTest {
  static Stream<Arguments> options() {
    return Vectors.cases("options.json", "cases");
  }

  /** The options the job takes as `livewall engine` does: test/vectors/options.json. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("options")
  void optionsAsTheVectorsSay(String name, JsonNode c) throws Exception {
    String option = c.get("option").asText();
    String field = Vectors.read("options.json").get("fields").get(option).asText();
    String[] args = {"--" + option, c.get("value").asText()};
    JsonNode want = c.get("want");
    if (want.isNull()) {
      assertThrows(IllegalArgumentException.class, () -> JobOptions.fromArgs(args), name);
      return;
    }
    Object got = JobOptions.class.getField(field).get(JobOptions.fromArgs(args));
    if (want.isNumber()) assertEquals(want.asLong(), ((Number) got).longValue(), name);
    else assertEquals(want.asText(), got, name);
  }

  @Test
  void flagsAndRuntimePropertiesReadAlike() {
    JobOptions a =
        JobOptions.fromArgs(new String[] {"--source", "o", "--dwd", "", "--emit-interval=250", "--time-zone", "Asia/Shanghai"});
    assertEquals("o", a.source);
    assertNull(a.dwd);
    assertEquals(250, a.emitIntervalMs);
    assertEquals("Asia/Shanghai", a.dbTimeZone, "the database's zone defaults to the days' zone");
    Properties p = new Properties();
    p.setProperty("source", "o");
    p.setProperty("retention-days", "3");
    assertEquals(3, JobOptions.fromProperties(p).retentionDays);
  }

  @Test
  void badOptionsSayWhich() {
    assertEquals(
        "emit-interval must be a whole number from 10 to 60000",
        assertThrows(IllegalArgumentException.class, () -> JobOptions.fromArgs(new String[] {"--emit-interval", "x"}))
            .getMessage());
    assertEquals(
        "unknown option \"sorce\"",
        assertThrows(IllegalArgumentException.class, () -> JobOptions.fromArgs(new String[] {"--sorce", "o"}))
            .getMessage());
    assertThrows(IllegalArgumentException.class, () -> JobOptions.fromArgs(new String[] {"--customers-password", "x"}));
  }

  @Test
  void theDatabaseAndTheFuturesToleranceAsFlagsAndProperties() {
    JobOptions d = JobOptions.fromArgs(new String[] {});
    assertEquals("demo", d.database);
    assertEquals(24 * 3_600_000L, d.maxFutureMs);
    JobOptions a = JobOptions.fromArgs(new String[] {"--database", "shop", "--max-future-hours", "1.5"});
    assertEquals("shop", a.database);
    assertEquals(5_400_000L, a.maxFutureMs);
    Properties p = new Properties();
    p.setProperty("database", "shop2");
    p.setProperty("max-future-hours", "0");
    assertEquals("shop2", JobOptions.fromProperties(p).database);
    assertEquals(0L, JobOptions.fromProperties(p).maxFutureMs);
    assertEquals(
        "max-future-hours must be a number from 0 to 8784",
        assertThrows(IllegalArgumentException.class, () -> JobOptions.fromArgs(new String[] {"--max-future-hours", "-1"}))
            .getMessage());
    assertThrows(IllegalArgumentException.class, () -> JobOptions.fromArgs(new String[] {"--database", "a.b"}));
  }

  @Test
  void customersUrlAsJdbcWithThePasswordFromTheEnvironment() {
    Jdbc j = Jdbc.of("mysql://reader@db.local:3307/demo", null, Map.of("MYSQL_PWD", "s3cret"));
    assertEquals("jdbc:mysql://db.local:3307/demo?permitMysqlScheme", j.url);
    assertEquals("org.mariadb.jdbc.Driver", j.driver);
    assertEquals("reader", j.user);
    assertEquals("s3cret", j.password);
    assertEquals("reader@db.local:3307/demo", j.description);
    Jdbc pg = Jdbc.of("postgres://u@h/dev", null, Map.of("PGPASSWORD", "p"));
    assertEquals("jdbc:postgresql://h:5432/dev", pg.url);
    assertEquals("p", pg.password);
  }
}
