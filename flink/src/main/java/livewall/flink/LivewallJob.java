package livewall.flink;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Function;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.kinesis.sink.KinesisStreamsSink;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.connectors.kinesis.FlinkKinesisConsumer;
import org.apache.flink.table.api.Schema;
import org.apache.flink.table.api.Table;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.types.Row;

/**
 * livewall's metrics engine as a Flink job: contract 1 from the order stream in, contract 2 to
 * the metric stream and contract 3 to the wide-row stream out, with the same values as
 * `livewall engine` (DESIGN.md). Kinesis → Maxwell decode → customer lookup join (Flink SQL, JDBC,
 * bounded cache) → per-order replay guard (keyed state) → group deltas → GROUP BY (Flink SQL) →
 * coalescing emitter → Kinesis.
 */
public final class LivewallJob {
  private LivewallJob() {}

  public static void main(String[] args) throws Exception {
    Properties aws = args.length == 0 ? JobOptions.awsRuntimeProperties() : null;
    JobOptions o;
    try {
      o = aws != null ? JobOptions.fromProperties(aws) : JobOptions.fromArgs(args);
    } catch (IllegalArgumentException e) {
      System.err.println("livewall-flink: " + e.getMessage());
      System.exit(2);
      return;
    }
    boolean local = aws == null;
    if (o.endpoint != null && o.endpoint.startsWith("http://")) {
      // The sink's SDK v2 reads the first; the source's SDK v1 reads the second under its shaded
      // name. kinesalite truncates CBOR answers over 16 KiB, so a big GetRecords breaks otherwise.
      System.setProperty("aws.cborEnabled", "false");
      System.setProperty("org.apache.flink.kinesis.shaded.com.amazonaws.sdk.disableCbor", "true");
    }
    Configuration conf = local ? localConfiguration(o) : new Configuration();
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    if (local) env.setParallelism(o.parallelism);
    build(env, o, System.getenv());
    // Screens and `livewall health` read these tags to name the engine filling the streams.
    List<String> outputs = new ArrayList<>();
    outputs.add(o.metrics);
    if (o.dwd != null) outputs.add(o.dwd);
    EngineTags.announce(
        kinesisProperties(o, System.getenv()),
        outputs,
        EngineTags.tags(!local, env.getParallelism(), System.currentTimeMillis()));
    if (!local) {
      env.execute("livewall-flink");
      return;
    }
    JobClient job = env.executeAsync("livewall-flink");
    System.err.println(
        "livewall-flink: job " + job.getJobID() + " started"
            + (o.restore != null ? " from " + o.restore : "")
            + "; reading " + o.source);
    if (o.stopOnStdin) watchStdin(job, o);
    job.getJobExecutionResult().get();
  }

  /** Checkpoints for a local run: exactly-once, under the state directory, kept on cancel. */
  static Configuration localConfiguration(JobOptions o) {
    Configuration c = new Configuration();
    c.setString("pipeline.name", "livewall-flink");
    c.setString("execution.checkpointing.interval", o.checkpointIntervalMs + " ms");
    c.setString("execution.checkpointing.mode", "EXACTLY_ONCE");
    c.setString("execution.checkpointing.externalized-checkpoint-retention", "RETAIN_ON_CANCELLATION");
    c.setString("execution.checkpointing.min-pause", Math.min(1000, o.checkpointIntervalMs / 2) + " ms");
    c.setString("state.backend.type", "hashmap");
    c.setString("state.checkpoints.num-retained", "3");
    if (o.stateDir != null) {
      c.setString("state.checkpoints.dir", new File(o.stateDir, "checkpoints").toURI().toString());
      c.setString("state.savepoints.dir", new File(o.stateDir, "savepoints").toURI().toString());
    }
    if (o.restore != null) c.setString("execution.savepoint.path", new File(o.restore).toURI().toString());
    c.setString("restart-strategy.type", "exponential-delay");
    c.setString("taskmanager.memory.managed.size", "32m");
    c.setString("taskmanager.numberOfTaskSlots", Integer.toString(Math.max(1, o.parallelism)));
    return c;
  }

  /**
   * A line "stop" on stdin: stop with a savepoint (so a restart resumes exactly), then exit. The
   * end of stdin (the parent died) ends the JVM at once, as a kill would.
   */
  private static void watchStdin(JobClient job, JobOptions o) {
    Thread t =
        new Thread(
            () -> {
              try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                String line;
                while (true) {
                  line = in.readLine();
                  if (line == null) {
                    // The process that started us is gone (even killed): go with it, like a kill.
                    System.err.println("livewall-flink: stdin closed; exiting without a savepoint");
                    Runtime.getRuntime().halt(137);
                  }
                  if (!line.trim().equals("stop")) continue;
                  String dir =
                      o.stateDir == null ? null : new File(o.stateDir, "savepoints").toURI().toString();
                  try {
                    String path = job.stopWithSavepoint(false, dir, SavepointFormatType.CANONICAL).get();
                    System.err.println("livewall-flink: stopped with savepoint " + path);
                  } catch (Exception e) {
                    System.err.println("livewall-flink: no savepoint (" + e.getMessage() + "); cancelling");
                    job.cancel().get();
                  }
                  return;
                }
              } catch (Exception e) {
                // stdin closed: nothing to watch.
              }
            },
            "livewall-stop");
    t.setDaemon(true);
    t.start();
  }

  /** The whole pipeline onto the environment. */
  public static void build(StreamExecutionEnvironment env, JobOptions o, java.util.Map<String, String> envVars) {
    Properties kinesis = kinesisProperties(o, envVars);

    Properties consumer = new Properties();
    consumer.putAll(kinesis);
    consumer.setProperty("flink.stream.initpos", initialPosition(o.from));
    if (o.from.matches("\\d+")) {
      consumer.setProperty("flink.stream.initpos.timestamp", String.valueOf(Long.parseLong(o.from) / 1000.0));
    }
    consumer.setProperty("flink.shard.getrecords.intervalmillis", "200");
    consumer.setProperty("flink.shard.discovery.intervalmillis", "5000");
    DataStream<String> raw =
        env.addSource(new FlinkKinesisConsumer<>(o.source, new Utf8(), consumer))
            .uid("kinesis-source")
            .name("order stream " + o.source);
    pipeline(env, raw, o, envVars, stream -> sink(stream, kinesis));
  }

  /**
   * Everything between the order stream's records and the output streams: the Kinesis job's, and
   * the bench's with an in-memory source and sinks that count.
   */
  static void pipeline(
      StreamExecutionEnvironment env,
      DataStream<String> raw,
      JobOptions o,
      java.util.Map<String, String> envVars,
      Function<String, Sink<Out>> sinkOf) {
    StreamTableEnvironment tenv = StreamTableEnvironment.create(env);
    Configuration tc = tenv.getConfig().getConfiguration();
    // GROUP BY state past the days kept is dropped; mini-batches fold many deltas per group at once.
    tc.setString("table.exec.state.ttl", (o.retentionDays + 1) + " d");
    tc.setString("table.exec.mini-batch.enabled", "true");
    tc.setString("table.exec.mini-batch.allow-latency", Math.max(10, Math.min(200, o.emitIntervalMs / 2)) + " ms");
    tc.setString("table.exec.mini-batch.size", "5000");
    DbTime time = new DbTime(o.timeZone, o.dbTimeZone, o.retentionDays);
    RowChecks checks = new RowChecks(o.database, o.table, o.maxFutureMs, o.dbTimeZone);
    DataStream<Row> changes =
        raw.flatMap(new Decode(checks))
            .returns(Rows.CHANGE)
            .uid("maxwell-decode")
            .name("Maxwell decode");

    tenv.createTemporaryView(
        "changes", changes, Schema.newBuilder().columnByExpression("proc", "PROCTIME()").build());
    String cols =
        "e.order_id, e.user_mail, e.status, e.good_count, e.city, e.amount, e.create_time,"
            + " e.update_time, e.op, e.ts, e.version, e.row_key";
    Table enriched;
    if (o.customers != null) {
      // On AWS the password is in Secrets Manager, read once here with the application's role.
      String password =
          o.customersSecretArn != null ? CustomersSecret.password(o.customersSecretArn, o.region, null) : o.customersPassword;
      Jdbc jdbc = Jdbc.of(o.customers, password, envVars);
      StringBuilder ddl = new StringBuilder();
      ddl.append("CREATE TEMPORARY TABLE customer (email STRING, `level` INT, sex STRING,")
          .append(" PRIMARY KEY (email) NOT ENFORCED) WITH (")
          .append("'connector'='jdbc', 'table-name'='customer',")
          .append(" 'url'=").append(literal(jdbc.url)).append(",")
          .append(" 'driver'=").append(literal(jdbc.driver)).append(",")
          // Found and missing customers alike are trusted a minute: a new customer shows soon.
          .append(" 'lookup.cache'='PARTIAL', 'lookup.partial-cache.max-rows'='100000',")
          .append(" 'lookup.partial-cache.expire-after-write'='60 s',")
          .append(" 'lookup.partial-cache.cache-missing-key'='true', 'lookup.max-retries'='3'");
      if (jdbc.user != null) ddl.append(", 'username'=").append(literal(jdbc.user));
      if (jdbc.password != null) ddl.append(", 'password'=").append(literal(jdbc.password));
      ddl.append(")");
      tenv.executeSql(ddl.toString());
      enriched =
          tenv.sqlQuery(
              "SELECT " + cols + ", c.`level` AS `level`, c.sex AS sex FROM changes AS e"
                  + " LEFT JOIN customer FOR SYSTEM_TIME AS OF e.proc AS c ON e.user_mail = c.email");
    } else {
      enriched =
          tenv.sqlQuery(
              "SELECT " + cols + ", CAST(NULL AS INT) AS `level`, CAST(NULL AS STRING) AS sex FROM changes AS e");
    }

    SingleOutputStreamOperator<Row> deltas =
        tenv.toDataStream(enriched)
            .keyBy(r -> (String) r.getField(Rows.ROW_KEY), Types.STRING)
            .process(new ReplayGuard(time))
            .returns(Rows.DELTA)
            .uid("replay-guard")
            .name("per-order fold");

    if (o.dwd != null) {
      deltas
          .getSideOutput(ReplayGuard.WIDE)
          .sinkTo(sinkOf.apply(o.dwd))
          .uid("dwd-sink")
          .name("wide rows " + o.dwd);
    }

    tenv.createTemporaryView("deltas", deltas);
    Table groups =
        tenv.sqlQuery(
            // DECIMAL: a BIGINT SUM wraps silently past 2^63; GroupUpdates bounds what is written.
            "SELECT name, win, start_ms, dim, dval, SUM(CAST(val AS DECIMAL(38, 0))) AS val,"
                + " SUM(cnt) AS cnt, MAX(occur) AS occur"
                + " FROM deltas WHERE name <> '_buyer' GROUP BY name, win, start_ms, dim, dval");
    Table buyers =
        tenv.sqlQuery(
            "SELECT start_ms, SUM(CASE WHEN n > 0 THEN 1 ELSE 0 END) AS buyers FROM ("
                + " SELECT start_ms, dval, SUM(val) AS n FROM deltas WHERE name = '_buyer'"
                + " GROUP BY start_ms, dval) GROUP BY start_ms");

    DataStream<Update> groupUpdates =
        tenv.toChangelogStream(groups)
            .flatMap(new GroupUpdates())
            .returns(Update.class)
            .uid("group-updates")
            .name("group updates");
    DataStream<Update> buyerUpdates =
        tenv.toChangelogStream(buyers)
            .flatMap(GroupUpdates::buyerUpdates)
            .returns(Update.class)
            .uid("buyer-updates")
            .name("buyer updates");

    groupUpdates
        .union(buyerUpdates)
        .keyBy(u -> u.key, Types.STRING)
        .process(new Emitter(o.emitIntervalMs, o.retentionDays))
        .returns(Out.class)
        .uid("emitter")
        .name("coalesce per identity")
        .sinkTo(sinkOf.apply(o.metrics))
        .uid("metric-sink")
        .name("metric records " + o.metrics);
  }

  static String initialPosition(String from) {
    if (from.equals("latest")) return "LATEST";
    if (from.equals("trim")) return "TRIM_HORIZON";
    return "AT_TIMESTAMP";
  }

  /** Region, endpoint and credentials, for the consumer and the sinks alike. */
  static Properties kinesisProperties(JobOptions o, java.util.Map<String, String> envVars) {
    Properties p = new Properties();
    String region = o.region != null ? o.region : envVars.getOrDefault("AWS_REGION", envVars.get("AWS_DEFAULT_REGION"));
    p.setProperty("aws.region", region != null ? region : "us-east-1");
    String endpoint = o.endpoint != null ? o.endpoint : envVars.get("AWS_ENDPOINT_URL_KINESIS");
    if (endpoint == null) endpoint = envVars.get("AWS_ENDPOINT_URL");
    if (endpoint != null) {
      p.setProperty("aws.endpoint", endpoint);
      if (endpoint.startsWith("http://")) p.setProperty("aws.http.protocol.version", "HTTP1_1");
    }
    if (o.profile != null) {
      p.setProperty("aws.credentials.provider", "PROFILE");
      p.setProperty("aws.credentials.provider.profile.name", o.profile);
    } else if (endpoint != null && envVars.get("AWS_ACCESS_KEY_ID") == null && envVars.get("AWS_PROFILE") == null) {
      // A local Kinesis-compatible endpoint takes any key; there may be no AWS account at all.
      p.setProperty("aws.credentials.provider", "BASIC");
      p.setProperty("aws.credentials.provider.basic.accesskeyid", "livewall");
      p.setProperty("aws.credentials.provider.basic.secretkey", "livewall");
    } else {
      p.setProperty("aws.credentials.provider", "AUTO");
    }
    return p;
  }

  private static Sink<Out> sink(String stream, Properties kinesis) {
    Properties p = new Properties();
    p.putAll(kinesis);
    return KinesisStreamsSink.<Out>builder()
        .setKinesisClientProperties(p)
        .setStreamName(stream)
        .setSerializationSchema(out -> out.json.getBytes(StandardCharsets.UTF_8))
        .setPartitionKeyGenerator(out -> out.key)
        .setFailOnError(false)
        .build();
  }

  private static String literal(String s) {
    return "'" + s.replace("'", "''") + "'";
  }

  /** Records as UTF-8 text; bytes that are not UTF-8 are dropped (the engine counts them malformed). */
  static final class Utf8 implements DeserializationSchema<String> {
    private static final long serialVersionUID = 1L;

    @Override
    public String deserialize(byte[] message) {
      try {
        return StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(message))
            .toString();
      } catch (CharacterCodingException e) {
        return null;
      }
    }

    @Override
    public boolean isEndOfStream(String next) {
      return false;
    }

    @Override
    public TypeInformation<String> getProducedType() {
      return Types.STRING;
    }
  }
}
