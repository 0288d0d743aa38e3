package livewall.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.types.Row;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;

/** The per-order fold, as the engine's apply: what each change adds to and retracts from groups. */
class ReplayGuardTest {
  static final long NOW = 1795960000000L; // 2026-11-29 10:26:40 UTC
  static final long TODAY = 1795910400000L;

  RowState state;
  final List<Row> out = new ArrayList<>();
  final ReplayGuard guard =
      new ReplayGuard(new DbTime("UTC", "UTC", 2)) {
        @Override
        void update(RowState s) {
          state = s;
        }
      };

  String apply(Maxwell.Change c, Integer level) throws Exception {
    out.clear();
    return guard.apply(
        c,
        level,
        state,
        NOW,
        new Collector<Row>() {
          @Override
          public void collect(Row r) {
            out.add(r);
          }

          @Override
          public void close() {}
        });
  }

  /** Net value change per group of the last apply, e.g. "gmv|1d|{city:"x"}" → cents. */
  Map<String, Long> net() {
    Map<String, Long> m = new TreeMap<>();
    for (Row r : out) {
      if (((String) r.getField(0)).startsWith("_")) continue;
      String k = r.getField(0) + "|" + r.getField(1) + "|" + r.getField(3) + "=" + r.getField(4);
      m.merge(k, (Long) r.getField(5), Long::sum);
    }
    m.values().removeIf(v -> v == 0);
    return m;
  }

  static Maxwell.Change change(String type, String status, String city, double amount, String position) {
    Maxwell.Change c = new Maxwell.Change();
    c.orderId = 7;
    c.userMail = "pony@qq.com";
    c.status = status;
    c.goodCount = 1;
    c.city = city;
    c.amount = amount;
    c.createTime = "2026-11-29 10:00:01";
    c.updateTime = "2026-11-29 10:00:01";
    c.type = type;
    c.ts = NOW / 1000d;
    c.version = position == null ? null : Maxwell.versionOf(position, 0d);
    return c;
  }

  @Test
  void insertAddsTheRowToEveryGroupOfTheTable() throws Exception {
    assertEquals("applied", apply(change("insert", "paid", "Xi'an", 99.5, "b.1:10"), 3));
    Map<String, Long> n = net();
    assertEquals(1L, n.get("orders|1d|=").longValue());
    assertEquals(1L, n.get("orders|1m|status=\"paid\"").longValue());
    assertEquals(9950L, n.get("gmv|1d|level=3").longValue());
    assertEquals(9950L, n.get("gmv|1m|city=\"Xi'an\"").longValue());
    assertEquals(1L, n.get("paid_orders|1d|city=\"Xi'an\"").longValue());
    assertNull(n.get("cancelled|1d|="));
    assertEquals(TODAY, state.day);
    assertTrue(out.stream().allMatch(r -> (Double) r.getField(7) == NOW));
  }

  @Test
  void replayedAndOlderEventsAreSkipped() throws Exception {
    apply(change("insert", "paid", "Xi'an", 99.5, "b.1:20"), 3);
    assertEquals("stale", apply(change("insert", "paid", "Xi'an", 99.5, "b.1:20"), 3));
    assertEquals("stale", apply(change("update", "cancel", "Xi'an", 99.5, "b.1:19"), 3));
    assertTrue(out.isEmpty());
  }

  @Test
  void updateMovesTheRowBetweenGroupsWithTheLevelItWasAddedAt() throws Exception {
    apply(change("insert", "paid", "Xi'an", 99.5, null), null);
    // The customer appeared meanwhile: the retraction still takes it out of level null.
    assertEquals("applied", apply(change("update", "cancel", "成都", 99.5, null), 5));
    Map<String, Long> n = net();
    assertEquals(-9950L, n.get("gmv|1d|level=null").longValue());
    assertEquals(-1L, n.get("orders|1d|city=\"Xi'an\"").longValue());
    assertEquals(1L, n.get("orders|1d|city=\"成都\"").longValue());
    assertEquals(1L, n.get("cancelled|1d|=").longValue());
    assertNull(n.get("orders|1d|="), "the total is unchanged");
  }

  @Test
  void deleteRetractsAndItsTombstoneStopsAnOlderReplay() throws Exception {
    apply(change("insert", "paid", "Xi'an", 99.5, "b.1:10"), 3);
    assertEquals("applied", apply(change("delete", "paid", "Xi'an", 99.5, "b.1:30"), 3));
    assertEquals(-1L, net().get("orders|1d|=").longValue());
    assertEquals(false, state.live);
    assertEquals("stale", apply(change("insert", "paid", "Xi'an", 99.5, "b.1:10"), 3));
  }

  @Test
  void rowsOutsideTheDaysKeptAndUnknownDeletesAreSkipped() throws Exception {
    Maxwell.Change old = change("insert", "paid", "Xi'an", 99.5, null);
    old.createTime = "2026-11-20 10:00:00";
    assertEquals("skipped", apply(old, null));
    assertEquals("skipped", apply(change("delete", "paid", "Xi'an", 99.5, null), null));
    Maxwell.Change yesterday = change("insert", "paid", "Xi'an", 99.5, null);
    yesterday.createTime = "2026-11-28 23:59:59";
    assertEquals("applied", apply(yesterday, null));
  }

  @Test
  void aCreateTimeThatIsNoDatetimeIsMalformed() throws Exception {
    Maxwell.Change c = change("insert", "paid", "Xi'an", 99.5, null);
    c.createTime = "2026-11-29 10:00:61";
    assertEquals("malformed", apply(c, null));
    c.createTime = "yesterday";
    assertEquals("malformed", apply(c, null));
  }
}
