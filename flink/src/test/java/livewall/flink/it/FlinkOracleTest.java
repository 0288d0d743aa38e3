package livewall.flink.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 13's oracle test of the Flink job, inside `mvn package`: a random workload of inserts,
 * updates and deletes on a private MariaDB, played onto kinesalite as cdc would write it (contract
 * 1); LivewallJob runs in a child JVM in Asia/Shanghai, is SIGKILLed after a checkpoint and restarted from it, and
 * then every metric on the metric stream (contract 2, folded as a screen folds it) must equal
 * MariaDB's own GROUP BY, and every order's newest wide row (contract 3) its row in MariaDB.
 */
class FlinkOracleTest {
  private static final String DB = "oracle";
  /**
   * The workshop's zone, for the job's machine (TZ), its days, the database session and the rows
   * (UTC+8). test/flink/oracle.test.ts runs the job in UTC against the same SQL view.
   */
  private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
  private static final String ORDERS = "order_ds";
  private static final String METRICS = "metric_ds";
  private static final String DWD = "dwd_ds";
  private static final Map<String, Integer> LEVELS =
      Map.of("pony@qq.com", 5, "jack@163.com", 3, "lucy@gmail.com", 2, "mei@qq.com", 4);

  /** Every record of a stream so far, per shard, read on from where the last read() ended. */
  private static final class Tail {
    final List<KinesisHttp.ShardReader> readers = new ArrayList<>();
    final List<List<KinesisHttp.Record>> shards = new ArrayList<>();

    Tail(KinesisHttp client, String stream) throws Exception {
      for (String id : client.shardIds(stream)) {
        readers.add(client.new ShardReader(stream, id));
        shards.add(new ArrayList<>());
      }
    }

    /** Reads what is new; returns it in shard order. */
    List<KinesisHttp.Record> read() throws Exception {
      List<KinesisHttp.Record> fresh = new ArrayList<>();
      for (int i = 0; i < readers.size(); i++) {
        List<KinesisHttp.Record> r = readers.get(i).read();
        shards.get(i).addAll(r);
        fresh.addAll(r);
      }
      return fresh;
    }

    int size() {
      return shards.stream().mapToInt(List::size).sum();
    }
  }

  @Test
  // Above the sum of the deadlines below, so a stuck step fails with its own message.
  @Timeout(value = 12, unit = TimeUnit.MINUTES)
  void metricsEqualSqlGroupByAcrossAKillAndRestart() throws Exception {
    long t0 = System.nanoTime();
    Path flinkDir =
        Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath();
    Path repo = flinkDir.getParent();
    Path temp = Files.createTempDirectory("livewall-flink-it-");
    List<ChildProcess> jobs = new ArrayList<>();
    try (Kinesalite kinesalite = Kinesalite.start(repo);
        PrivateMariaDb db = PrivateMariaDb.start(temp.resolve("mariadb"))) {
      db.createDatabase(DB);
      KinesisHttp kinesis = kinesalite.client;
      for (String s : new String[] {ORDERS, METRICS, DWD}) kinesis.createStream(s, 2);
      try (Connection conn = db.connect(DB)) {
        SqlOracle.setUp(conn, ZONE);
        MaxwellWriter cdc = new MaxwellWriter(kinesis, ORDERS, DB);
        Workload workload = new Workload(conn, cdc, ZONE);
        Path stateDir = temp.resolve("state");
        List<String> args =
            new ArrayList<>(
                List.of(
                    "--source", ORDERS, "--metrics", METRICS, "--dwd", DWD, "--from", "trim",
                    "--time-zone", ZONE.getId(), "--db-time-zone", ZONE.getId(), "--state-dir", stateDir.toString(),
                    "--parallelism", "2", "--customers", "mysql://root@127.0.0.1:" + db.port + "/" + DB,
                    "--endpoint", kinesalite.endpoint, "--region", "us-east-1", "--emit-interval", "100",
                    "--checkpoint-interval", "2000", "--database", DB));

        // Part one, read by the first job: a first batch until the job writes, then a writer that
        // keeps going until the job is killed, so the kill lands under traffic (records in flight
        // and in the sinks' buffers, which the checkpoint holds).
        ChildProcess first = JobProcess.start(flinkDir, args, "flink job", ZONE.getId());
        jobs.add(first);
        workload.run(21, 50);
        Tail dwd = new Tail(kinesis, DWD);
        Poll.until("the job to write wide rows", 120_000, () -> {
          dwd.read();
          return dwd.size() > 0;
        }, first, kinesalite.process());
        AtomicBoolean killed = new AtomicBoolean();
        Set<Long> covered = new HashSet<>();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        Future<Integer> traffic =
            pool.submit(
                () -> {
                  int statements = 0;
                  for (int seed = 22; !killed.get(); seed++) {
                    workload.run(seed, 20);
                    statements += 20;
                    Thread.sleep(100); // a steady pace, not a flood the job needs minutes for
                  }
                  return statements;
                });
        try {
          // Kill once a checkpoint holds a good part of it: the order_ids of the wide insert rows
          // written by then are in it, so the restarted job must never write them again.
          Poll.until("the job to write 200 wide rows", 120_000, () -> {
            dwd.read();
            return dwd.size() >= 200 || traffic.isDone();
          }, first, kinesalite.process());
          covered.addAll(insertedOrders(dwd.shards, new int[dwd.shards.size()]));
          long triggered = JobProcess.highestCheckpointNumber(stateDir);
          // chk-N directories appear when a checkpoint is triggered: one numbered above the
          // highest now (plus one for margin) began after those rows were written.
          Poll.until("a checkpoint begun after those rows", 60_000, () -> {
            List<Path> done = JobProcess.completedCheckpoints(stateDir);
            return traffic.isDone()
                || !done.isEmpty() && JobProcess.number(done.get(done.size() - 1)) > triggered + 1;
          }, first, kinesalite.process());
          if (traffic.isDone()) traffic.get(); // the writer's own failure, if it failed
          assertTrue(!traffic.isDone(), "the workload stopped before the kill");
          first.kill();
        } finally {
          killed.set(true);
          pool.shutdown();
        }
        int trafficStatements = traffic.get(60, TimeUnit.SECONDS);
        int partOne = cdc.events();
        dwd.read();
        int[] beforeRestart = dwd.shards.stream().mapToInt(List::size).toArray();
        long killedAt = System.nanoTime();

        // Part two while no job runs, then the restart from the newest checkpoint.
        workload.run(23, 600);
        int allEvents = cdc.events();
        List<Path> done = JobProcess.completedCheckpoints(stateDir);
        Path restore = done.get(done.size() - 1);
        args.addAll(List.of("--restore", restore.toString()));
        ChildProcess second = JobProcess.start(flinkDir, args, "restarted flink job", ZONE.getId());
        jobs.add(second);
        Poll.until(
            "the restarted job to name its checkpoint",
            120_000,
            () -> second.output().contains("started from " + restore),
            second, kinesalite.process(), db.process());

        // Contract 2: every metric equals MariaDB's GROUP BY.
        Map<String, Double> want = SqlOracle.sqlView(conn, ZONE);
        SqlOracle.Screen screen = new SqlOracle.Screen();
        Tail metrics = new Tail(kinesis, METRICS);
        List<String> diff = new ArrayList<>();
        Poll.until("the metric stream to equal the SQL GROUP BYs", 180_000, () -> {
          for (KinesisHttp.Record r : metrics.read()) screen.accept(r.data);
          diff.clear();
          diff.addAll(SqlOracle.differences(want, screen.view(), 20));
          return diff.isEmpty();
        }, () -> String.join("\n", diff), second, kinesalite.process(), db.process());
        long equalAfterRestartMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
        assertTrue(want.size() > 100, "the workload made only " + want.size() + " groups");
        assertTrue(
            want.keySet().stream().anyMatch(k -> k.contains("level=null;")),
            "no group of the unknown customer (level null)");

        // Contract 3: each order's newest wide row is its row in MariaDB (or its delete).
        List<Map<String, Object>> rows = workload.rowsWhere("1=1");
        List<String> rowDiff = new ArrayList<>();
        Poll.until("every order's newest wide row to equal MariaDB's row", 60_000, () -> {
          dwd.read();
          rowDiff.clear();
          rowDiff.addAll(wideRowDifferences(dwd.shards, rows));
          return rowDiff.isEmpty();
        }, () -> String.join("\n", rowDiff.subList(0, Math.min(20, rowDiff.size()))),
            second, kinesalite.process(), db.process());

        // The restart resumed from the checkpoint, not from the stream's start: none of the
        // inserts the checkpoint held came again, and fewer rows than events were written.
        Set<Long> again = insertedOrders(dwd.shards, beforeRestart);
        again.retainAll(covered);
        assertTrue(covered.size() >= 20, "the checkpoint held only " + covered.size() + " inserts");
        assertEquals(Set.of(), again, "the restarted job wrote inserts its checkpoint already held");
        int rewritten = dwd.size() - java.util.Arrays.stream(beforeRestart).sum();
        assertTrue(
            rewritten < allEvents,
            "the restarted job wrote " + rewritten + " wide rows for " + allEvents + " events");

        System.out.printf(
            "FlinkOracleTest: %d events (%d from %d statements before the kill), %d groups,"
                + " %d metric records, %d wide rows (%d after the restart from %s, none of the %d"
                + " inserts it held); equal %d ms after the kill; %d s in all%n",
            allEvents, partOne, 50 + trafficStatements, want.size(), screen.records, dwd.size(),
            rewritten, restore.getFileName(), covered.size(), equalAfterRestartMs,
            TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0));
      }
    } catch (Throwable t) {
      // The jobs' own words explain most failures.
      for (ChildProcess job : jobs) {
        String out = job.output();
        String tail = out.substring(Math.max(0, out.length() - 6000));
        System.err.println(job.name + " output (tail):\n" + tail);
      }
      throw t;
    } finally {
      for (ChildProcess job : jobs) {
        try {
          job.kill();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt(); // SIGKILL is sent; the temp files still go
        }
      }
      JobProcess.deleteTree(temp.toFile());
    }
  }

  /** order_ids of the insert wide rows at or after the given index of each shard. */
  private static Set<Long> insertedOrders(List<List<KinesisHttp.Record>> shards, int[] from) throws Exception {
    Set<Long> out = new HashSet<>();
    for (int i = 0; i < shards.size(); i++) {
      List<KinesisHttp.Record> shard = shards.get(i);
      for (KinesisHttp.Record r : shard.subList(from[i], shard.size())) {
        JsonNode row = KinesisHttp.JSON.readTree(r.data);
        if (row.path("op").asText().equals("insert")) out.add(row.path("order_id").asLong());
      }
    }
    return out;
  }

  /** Orders whose newest wide row (one order stays on one shard) is not their row in MariaDB. */
  private static List<String> wideRowDifferences(List<List<KinesisHttp.Record>> shards, List<Map<String, Object>> rows)
      throws Exception {
    Map<Long, JsonNode> newest = new HashMap<>();
    for (List<KinesisHttp.Record> shard : shards) {
      for (KinesisHttp.Record r : shard) {
        JsonNode row = KinesisHttp.JSON.readTree(r.data);
        newest.put(row.path("order_id").asLong(), row);
      }
    }
    List<String> out = new ArrayList<>();
    Set<Long> live = new HashSet<>();
    for (Map<String, Object> want : rows) {
      long id = ((Integer) want.get("order_id")).longValue();
      live.add(id);
      JsonNode got = newest.get(id);
      if (got == null || got.path("op").asText().equals("delete") || !sameRow(want, got)) {
        out.add("order " + id + ": mariadb " + want + " wide row " + got);
      }
    }
    for (Map.Entry<Long, JsonNode> e : newest.entrySet()) {
      if (!live.contains(e.getKey()) && !e.getValue().path("op").asText().equals("delete")) {
        out.add("order " + e.getKey() + ": deleted in mariadb, wide row " + e.getValue());
      }
    }
    return out;
  }

  private static boolean sameRow(Map<String, Object> want, JsonNode got) {
    Integer level = LEVELS.get((String) want.get("user_mail"));
    return got.path("user_mail").asText().equals(want.get("user_mail"))
        && got.path("status").asText().equals(want.get("status"))
        && got.path("good_count").asInt() == (Integer) want.get("good_count")
        && got.path("city").asText().equals(want.get("city"))
        && (float) got.path("amount").asDouble() == (Float) want.get("amount")
        && got.path("create_time").asText().equals(want.get("create_time"))
        && got.path("update_time").asText().equals(want.get("update_time"))
        && (level == null ? got.path("level").isNull() : got.path("level").asInt() == level);
  }
}
