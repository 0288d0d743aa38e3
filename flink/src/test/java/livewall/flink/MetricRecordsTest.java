package livewall.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.Iterator;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Identities, partition keys, record and wide-row text against test/vectors/identity.json and
 * records.json, the statement src/shared/identity.ts and the TypeScript engine are held to.
 */
class MetricRecordsTest {
  static Stream<Arguments> asciiKey() {
    return Vectors.cases("identity.json", "asciiKey");
  }

  static Stream<Arguments> fnv1a() {
    return Vectors.cases("identity.json", "fnv1a");
  }

  static Stream<Arguments> identity() {
    return Vectors.cases("identity.json", "identity");
  }

  static Stream<Arguments> record() {
    return Vectors.cases("records.json", "record");
  }

  static Stream<Arguments> wideRow() {
    return Vectors.cases("records.json", "wideRow");
  }

  /** A dimension's value as the job writes it: a string literal, a number or null. */
  static String dimJson(JsonNode v) {
    if (v.isNull()) return "null";
    return v.isTextual() ? JsJson.string(v.asText()) : JsJson.number(v.asDouble());
  }

  /** The one dimension of a metric of the vectors: {key, value as JSON}, or {"", ""} for the total. */
  static String[] dim(JsonNode metric) {
    Iterator<Map.Entry<String, JsonNode>> dims = metric.get("dims").fields();
    if (!dims.hasNext()) return new String[] {"", ""};
    Map.Entry<String, JsonNode> d = dims.next();
    return new String[] {d.getKey(), dimJson(d.getValue())};
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void asciiKey(String name, JsonNode c) {
    assertEquals(c.get("want").asText(), MetricRecords.asciiKey(c.get("text").asText()), name);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void fnv1a(String name, JsonNode c) {
    assertEquals(c.get("want").asText(), MetricRecords.fnv1a(c.get("text").asText()), name);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void identity(String name, JsonNode c) {
    JsonNode m = c.get("metric");
    String[] d = dim(m);
    String id = MetricRecords.identity(
        m.get("name").asText(), m.get("window").asText(), m.get("start").asLong(), d[0], d[1]);
    assertEquals(c.get("identity").asText(), id, name);
    assertEquals(c.get("key").asText(), MetricRecords.partitionKey(id), name);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void record(String name, JsonNode c) {
    JsonNode m = c.get("metric");
    String[] d = dim(m);
    String text = MetricRecords.record(
        m.get("name").asText(), JsJson.number(m.get("value").asDouble()), m.get("occur").asDouble(),
        m.get("window").asText(), m.get("start").asLong(), d[0], d[1]);
    assertEquals(c.get("text").asText(), text, name);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void wideRow(String name, JsonNode c) throws Exception {
    JsonNode event = Vectors.MAPPER.createObjectNode().put("database", "demo").put("table", "order")
        .setAll((org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.ObjectNode) c.get("change"));
    long now = Vectors.read("records.json").get("now").asLong();
    Maxwell.Decoded d = Maxwell.decode(Vectors.MAPPER.writeValueAsString(event), new RowChecks("demo", "order", 86_400_000L, "UTC"), now);
    assertNotNull(d.change, name + ": " + d.error);
    JsonNode customer = c.get("customer");
    String text = customer.isNull()
        ? MetricRecords.wideRow(d.change, null, null)
        : MetricRecords.wideRow(d.change, customer.get("sex").asText(), customer.get("level").asInt());
    assertEquals(c.get("text").asText(), text, name);
  }

  /**
   * Why the keys are ASCII: the connector's state serializer writes a key's length in characters
   * and reads that many bytes, so a buffered record keyed with `北京` does not survive a restore.
   */
  @Test
  void bufferedRecordsSurviveTheSinkStateSerializer() throws Exception {
    org.apache.flink.connector.kinesis.sink.KinesisStreamsStateSerializer ser =
        new org.apache.flink.connector.kinesis.sink.KinesisStreamsStateSerializer();
    java.util.List<org.apache.flink.connector.base.sink.writer.RequestEntryWrapper<
            org.apache.flink.kinesis.shaded.software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry>>
        entries = new java.util.ArrayList<>();
    for (String city : new String[] {"北京", "Xi'an", "上海"}) {
      String id = MetricRecords.identity("orders", "1d", 1, "city", JsJson.string(city));
      byte[] data = MetricRecords.record("orders", "1", 1, "1d", 1, "city", JsJson.string(city))
          .getBytes(java.nio.charset.StandardCharsets.UTF_8);
      entries.add(new org.apache.flink.connector.base.sink.writer.RequestEntryWrapper<>(
          org.apache.flink.kinesis.shaded.software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry.builder()
              .partitionKey(MetricRecords.partitionKey(id))
              .data(org.apache.flink.kinesis.shaded.software.amazon.awssdk.core.SdkBytes.fromByteArray(data))
              .build(),
          data.length));
    }
    byte[] bytes = ser.serialize(new org.apache.flink.connector.base.sink.writer.BufferedRequestState<>(entries));
    java.util.List<String> keys = new java.util.ArrayList<>();
    for (org.apache.flink.connector.base.sink.writer.RequestEntryWrapper<
            org.apache.flink.kinesis.shaded.software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry>
        e : ser.deserialize(ser.getVersion(), bytes).getBufferedRequestEntries()) {
      keys.add(e.getRequestEntry().partitionKey());
    }
    assertEquals(
        java.util.Arrays.asList(
            "[\"orders\",\"1d\",1,[[\"city\",\"%E5%8C%97%E4%BA%AC\"]]]",
            "[\"orders\",\"1d\",1,[[\"city\",\"Xi'an\"]]]",
            "[\"orders\",\"1d\",1,[[\"city\",\"%E4%B8%8A%E6%B5%B7\"]]]"),
        keys);
  }
}
