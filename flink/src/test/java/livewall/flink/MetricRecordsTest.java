package livewall.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class MetricRecordsTest {
  @Test
  void recordInTheEngineKeyOrder() {
    assertEquals(
        "{\"name\":\"gmv\",\"value\":1234.5,\"occur\":1732440000123,\"window\":\"1d\",\"start\":1732377600000,\"dims\":{\"city\":\"Xi'an\"}}",
        MetricRecords.record("gmv", "1234.5", 1732440000123d, "1d", 1732377600000L, "city", JsJson.string("Xi'an")));
    assertEquals(
        "{\"name\":\"orders\",\"value\":3,\"occur\":1,\"window\":\"1m\",\"start\":60000,\"dims\":{}}",
        MetricRecords.record("orders", "3", 1, "1m", 60000, "", ""));
    assertEquals(
        "{\"name\":\"gmv\",\"value\":0,\"occur\":1,\"window\":\"1d\",\"start\":0,\"dims\":{\"level\":null}}",
        MetricRecords.record("gmv", "0", 1, "1d", 0, "level", "null"));
  }

  @Test
  void identityAndPartitionKeyAsSrcSharedIdentity() {
    assertEquals("[\"orders\",\"1d\",1,[]]", MetricRecords.identity("orders", "1d", 1, "", ""));
    assertEquals(
        "[\"gmv\",\"1m\",60000,[[\"level\",5]]]", MetricRecords.identity("gmv", "1m", 60000, "level", "5"));
    assertEquals("4f9f2cab", MetricRecords.fnv1a("hello"));
    String longCity = "x".repeat(300);
    String id = MetricRecords.identity("orders", "1d", 1, "city", JsJson.string(longCity));
    assertEquals("h:9bce374f", MetricRecords.partitionKey(id));
    assertEquals("[\"orders\",\"1d\",1,[]]", MetricRecords.partitionKey("[\"orders\",\"1d\",1,[]]"));
  }

  @Test
  void partitionKeysAreAsciiAsSrcSharedIdentity() {
    // The same vectors as test/shared/identity.test.ts.
    assertEquals("[\"orders\",\"1d\",1,[[\"city\",\"%E5%8C%97%E4%BA%AC\"]]]",
        MetricRecords.partitionKey("[\"orders\",\"1d\",1,[[\"city\",\"北京\"]]]"));
    assertEquals("50%25 %F0%9F%98%80 Xi'an", MetricRecords.asciiKey("50% 😀 Xi'an"));
    String chinese = MetricRecords.identity("orders", "1d", 1, "city", JsJson.string("西".repeat(60)));
    assertEquals("h:" + MetricRecords.fnv1a(chinese), MetricRecords.partitionKey(chinese));
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

  @Test
  void aovUnroundedLikeTheEngine() {
    // node -e 'console.log(10025 / 100 / 3, 1999 / 100 / 2)'
    assertEquals("33.416666666666664", MetricRecords.aov(10025, 3));
    assertEquals("9.995", MetricRecords.aov(1999, 2));
    assertEquals("0", MetricRecords.aov(0, 0));
  }

  @Test
  void wideRowInContract3Order() {
    Maxwell.Change c = new Maxwell.Change();
    c.orderId = 7;
    c.userMail = "pony@qq.com";
    c.status = "paid";
    c.goodCount = 2;
    c.city = "Xi'an";
    c.amount = 99.5;
    c.createTime = "2026-11-24 10:00:01";
    c.updateTime = "2026-11-24 10:02:13";
    c.type = "update";
    c.ts = 1732440133;
    assertEquals(
        "{\"order_id\":7,\"user_mail\":\"pony@qq.com\",\"status\":\"paid\",\"good_count\":2,\"city\":\"Xi'an\",\"amount\":99.5,"
            + "\"create_time\":\"2026-11-24 10:00:01\",\"update_time\":\"2026-11-24 10:02:13\",\"sex\":\"F\",\"level\":3,"
            + "\"op\":\"update\",\"ts\":1732440133000}",
        MetricRecords.wideRow(c, "F", 3));
    assertEquals(true, MetricRecords.wideRow(c, null, null).contains("\"sex\":null,\"level\":null"));
  }
}
