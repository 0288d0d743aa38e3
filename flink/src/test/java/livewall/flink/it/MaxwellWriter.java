package livewall.flink.it;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The test's own cdc: each committed transaction's row changes as contract 1 (Maxwell's JSON, in
 * the key order src/main/cdc/maxwell.ts writes) on the order stream, partition key order_id. Every
 * transaction gets the next binlog position; its rows carry their xoffset, the last one commit.
 */
final class MaxwellWriter {
  /** One row change: type, the row after (before, for a delete) and the row before an update. */
  static final class RowChange {
    final String type;
    final Map<String, Object> data;
    final Map<String, Object> before;

    RowChange(String type, Map<String, Object> data, Map<String, Object> before) {
      this.type = type;
      this.data = data;
      this.before = before;
    }
  }

  private final KinesisHttp kinesis;
  private final String stream;
  private final String database;
  private long xid = 1000;
  private long offset = 4;
  private int events;

  MaxwellWriter(KinesisHttp kinesis, String stream, String database) {
    this.kinesis = kinesis;
    this.stream = stream;
    this.database = database;
  }

  /** Events written so far. */
  int events() {
    return events;
  }

  /** One committed transaction's changes (none: nothing reaches the binlog). */
  void commit(List<RowChange> rows) throws Exception {
    if (rows.isEmpty()) return;
    xid++;
    String position = "mysql-bin.000001:" + offset;
    offset += 100L * rows.size() + 31;
    long ts = System.currentTimeMillis() / 1000;
    List<KinesisHttp.Record> records = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      RowChange r = rows.get(i);
      ObjectNode e = KinesisHttp.JSON.createObjectNode();
      e.put("database", database).put("table", "order").put("type", r.type).put("ts", ts).put("xid", xid);
      e.put("xoffset", i);
      if (i == rows.size() - 1) e.put("commit", true);
      e.put("position", position);
      e.set("data", row(r.data));
      if (r.type.equals("update")) {
        Map<String, Object> old = new LinkedHashMap<>();
        for (Map.Entry<String, Object> c : r.before.entrySet()) {
          if (!Objects.equals(c.getValue(), r.data.get(c.getKey()))) old.put(c.getKey(), c.getValue());
        }
        e.set("old", row(old));
      }
      records.add(new KinesisHttp.Record(String.valueOf(r.data.get("order_id")), KinesisHttp.JSON.writeValueAsString(e)));
    }
    kinesis.putRecords(stream, records);
    events += records.size();
  }

  /** Column values as Maxwell writes them: FLOAT as the shortest decimal of the float (99.5, 12.34). */
  private static ObjectNode row(Map<String, Object> columns) {
    ObjectNode o = KinesisHttp.JSON.createObjectNode();
    for (Map.Entry<String, Object> c : columns.entrySet()) {
      Object v = c.getValue();
      if (v instanceof Float) o.put(c.getKey(), (Float) v);
      else if (v instanceof Integer) o.put(c.getKey(), (Integer) v);
      else if (v instanceof Long) o.put(c.getKey(), (Long) v);
      else o.put(c.getKey(), (String) v);
    }
    return o;
  }
}
