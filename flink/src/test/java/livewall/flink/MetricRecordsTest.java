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
