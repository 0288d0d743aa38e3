package livewall.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.contrib.streaming.state.EmbeddedRocksDBStateBackend;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.Test;

/**
 * The job's keyed state on RocksDB (EmbeddedRocksDBStateBackend, Managed Flink's backend), through
 * a checkpoint and a restore: the per-order fold and the emitter pick up where they were.
 */
class RocksDbStateTest {
  static final long NOW = ReplayGuardTest.NOW;
  static final long TODAY = ReplayGuardTest.TODAY;

  static KeyedOneInputStreamOperatorTestHarness<String, Row, Row> guard() throws Exception {
    KeyedOneInputStreamOperatorTestHarness<String, Row, Row> h =
        new KeyedOneInputStreamOperatorTestHarness<>(
            new KeyedProcessOperator<>(new ReplayGuard(new DbTime("UTC", "UTC", 2))),
            r -> (String) r.getField(Rows.ROW_KEY),
            Types.STRING);
    h.setStateBackend(new EmbeddedRocksDBStateBackend());
    return h;
  }

  /** An enriched row as the lookup join hands it on: the change, its key, level and sex. */
  static Row enriched(String type, String status, double amount, String position) {
    Maxwell.Change c = ReplayGuardTest.change(type, status, "Xi'an", amount, position);
    Row r = Rows.rowOf(c, new RowChecks("demo", "order", 86_400_000L, "UTC"));
    Row out = new Row(r.getArity() + 2);
    for (int i = 0; i < r.getArity(); i++) out.setField(i, r.getField(i));
    out.setField(r.getArity(), 3);
    out.setField(r.getArity() + 1, "m");
    return out;
  }

  /** Net value per group ("name|win|dim=val") of the deltas written since the last call. */
  static Map<String, Long> net(KeyedOneInputStreamOperatorTestHarness<String, Row, Row> h) {
    Map<String, Long> m = new TreeMap<>();
    for (Object o : h.getOutput()) {
      if (!(o instanceof StreamRecord)) continue;
      Row r = (Row) ((StreamRecord<?>) o).getValue();
      if (((String) r.getField(0)).startsWith("_")) continue;
      m.merge(r.getField(0) + "|" + r.getField(1) + "|" + r.getField(3) + "=" + r.getField(4), (Long) r.getField(5), Long::sum);
    }
    m.values().removeIf(v -> v == 0);
    h.getOutput().clear();
    return m;
  }

  @Test
  void theFoldOfAnOrderSurvivesACheckpointOnRocksDb() throws Exception {
    OperatorSubtaskState snapshot;
    try (KeyedOneInputStreamOperatorTestHarness<String, Row, Row> h = guard()) {
      h.open();
      h.setProcessingTime(NOW);
      h.processElement(new StreamRecord<>(enriched("insert", "paid", 10.5, "b.1:10")));
      assertEquals(1050L, net(h).get("gmv|1d|="));
      snapshot = h.snapshot(1, NOW);
    }
    try (KeyedOneInputStreamOperatorTestHarness<String, Row, Row> h = guard()) {
      h.initializeState(snapshot);
      h.open();
      h.setProcessingTime(NOW + 1000);
      // A replay of the insert is stale: the restored state knows its position.
      h.processElement(new StreamRecord<>(enriched("insert", "paid", 10.5, "b.1:10")));
      assertTrue(net(h).isEmpty(), "a replayed change folds nothing");
      // Cancelling retracts exactly what the restored row added.
      h.processElement(new StreamRecord<>(enriched("update", "cancel", 10.5, "b.1:20")));
      Map<String, Long> n = net(h);
      assertEquals(-1050L, n.get("gmv|1d|="));
      assertEquals(-1050L, n.get("gmv|1d|level=3"));
      assertEquals(1L, n.get("cancelled|1d|="));
    }
  }

  @Test
  void theEmittersPendingRecordSurvivesACheckpointOnRocksDb() throws Exception {
    Update u = GroupUpdates.update(MetricRecords.identity("orders", "1d", TODAY, "", ""), Update.METRIC, TODAY, 5, NOW);
    u.name = "orders";
    u.win = "1d";
    u.dim = "";
    u.dval = "";
    u.rows = 5;
    OperatorSubtaskState snapshot;
    try (KeyedOneInputStreamOperatorTestHarness<String, Update, Out> h = emitter()) {
      h.open();
      h.setProcessingTime(NOW);
      h.processElement(new StreamRecord<>(u));
      assertTrue(h.getOutput().isEmpty(), "written at the next interval, not at once");
      snapshot = h.snapshot(1, NOW);
    }
    try (KeyedOneInputStreamOperatorTestHarness<String, Update, Out> h = emitter()) {
      h.initializeState(snapshot);
      h.open();
      h.setProcessingTime(NOW + 1000);
      List<String> written = new ArrayList<>();
      for (Object o : h.getOutput()) written.add(((Out) ((StreamRecord<?>) o).getValue()).json);
      assertEquals(
          List.of("{\"name\":\"orders\",\"value\":5,\"occur\":" + NOW + ",\"window\":\"1d\",\"start\":" + TODAY + ",\"dims\":{}}"),
          written);
    }
  }

  static KeyedOneInputStreamOperatorTestHarness<String, Update, Out> emitter() throws Exception {
    KeyedOneInputStreamOperatorTestHarness<String, Update, Out> h =
        new KeyedOneInputStreamOperatorTestHarness<>(
            new KeyedProcessOperator<>(new Emitter(500, 2)), x -> x.key, Types.STRING);
    h.setStateBackend(new EmbeddedRocksDBStateBackend());
    return h;
  }
}
