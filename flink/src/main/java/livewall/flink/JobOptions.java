package livewall.flink;

import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The job's options: `--name value` flags locally, the runtime properties group `livewall` on
 * Amazon Managed Service for Apache Flink. Same names as `livewall engine`'s flags.
 */
public final class JobOptions implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Every option the job reads, for the usage message and for rejecting typos. */
  static final String[] NAMES = {
    "source", "metrics", "dwd", "customers", "customers-password", "region", "endpoint", "profile",
    "database", "max-future-hours",
    "from", "time-zone", "db-time-zone", "retention-days", "emit-interval", "state-dir",
    "checkpoint-interval", "parallelism", "restore", "table", "stop-on-stdin", "customers-secret-arn"
  };

  public String source = "order_ds";
  public String metrics = "metric_ds";
  /** Null: no wide rows. */
  public String dwd = "dwd_customer_order_ds";
  /** mysql://user@host:port/db or postgres://user@host:port/db; null: no dimension. */
  public String customers;
  /** On AWS only (runtime property); locally the password comes from the environment. */
  public String customersPassword;
  /** On AWS: the Secrets Manager secret holding the customers password (CustomersSecret). */
  public String customersSecretArn;
  public String region;
  public String endpoint;
  public String profile;
  /** trim, latest, or epoch ms. */
  public String from = "trim";
  public String timeZone = ZoneId.systemDefault().getId();
  public String dbTimeZone;
  public int retentionDays = 2;
  public long emitIntervalMs = 500;
  /** Local runs only: checkpoints (and the savepoint taken on stop) go under it. */
  public String stateDir;
  public long checkpointIntervalMs = 5_000;
  public int parallelism = 1;
  /** A checkpoint or savepoint to resume from (local runs). */
  public String restore;
  public String table = "order";
  /** Only this database's events are folded; the others are skipped and counted. */
  public String database = "demo";
  /** How far ahead of the clock a `ts` or `create_time` may be before its row is skipped. */
  public long maxFutureMs = 24 * 3_600_000L;
  /** Local runs: a line "stop" on stdin stops the job with a savepoint. */
  public boolean stopOnStdin;

  /** Flags `--name value` (or `--name=value`). */
  public static JobOptions fromArgs(String[] args) {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--")) throw new IllegalArgumentException("unexpected argument \"" + a + "\"");
      String name = a.substring(2);
      String value;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      } else if (name.equals("stop-on-stdin")) {
        value = "true";
      } else {
        if (i + 1 >= args.length) throw new IllegalArgumentException("--" + name + " needs a value");
        value = args[++i];
      }
      if (name.equals("customers-password")) {
        throw new IllegalArgumentException(
            "a password never goes on the command line: set LIVEWALL_MYSQL_PASSWORD (or PGPASSWORD)");
      }
      m.put(name, value);
    }
    return fromMap(m);
  }

  /** The runtime properties group `livewall` (keys as the flags, without dashes in front). */
  public static JobOptions fromProperties(Properties p) {
    Map<String, String> m = new HashMap<>();
    for (String k : p.stringPropertyNames()) m.put(k, p.getProperty(k));
    return fromMap(m);
  }

  static JobOptions fromMap(Map<String, String> m) {
    for (String k : m.keySet()) {
      if (!java.util.Arrays.asList(NAMES).contains(k)) {
        throw new IllegalArgumentException("unknown option \"" + k + "\"");
      }
    }
    JobOptions o = new JobOptions();
    o.source = m.getOrDefault("source", o.source);
    o.metrics = m.getOrDefault("metrics", o.metrics);
    if (m.containsKey("dwd")) o.dwd = m.get("dwd").isEmpty() ? null : m.get("dwd");
    o.customers = emptyToNull(m.get("customers"));
    o.customersPassword = emptyToNull(m.get("customers-password"));
    o.customersSecretArn = emptyToNull(m.get("customers-secret-arn"));
    o.region = emptyToNull(m.get("region"));
    o.endpoint = emptyToNull(m.get("endpoint"));
    o.profile = emptyToNull(m.get("profile"));
    o.from = m.getOrDefault("from", o.from);
    o.timeZone = m.getOrDefault("time-zone", o.timeZone);
    o.dbTimeZone = m.getOrDefault("db-time-zone", o.timeZone);
    o.retentionDays = (int) number(m, "retention-days", o.retentionDays, 1, 366);
    o.emitIntervalMs = number(m, "emit-interval", o.emitIntervalMs, 10, 60_000);
    o.stateDir = emptyToNull(m.get("state-dir"));
    o.checkpointIntervalMs = number(m, "checkpoint-interval", o.checkpointIntervalMs, 100, 3_600_000);
    o.parallelism = (int) number(m, "parallelism", o.parallelism, 1, 256);
    o.restore = emptyToNull(m.get("restore"));
    o.table = m.getOrDefault("table", o.table);
    o.database = m.getOrDefault("database", o.database);
    if (!o.database.matches("[A-Za-z0-9_$]{1,64}")) {
      throw new IllegalArgumentException("database must be a MySQL database name, not \"" + o.database + "\"");
    }
    o.maxFutureMs = hours(m, "max-future-hours", o.maxFutureMs, 24 * 366);
    o.stopOnStdin = "true".equals(m.get("stop-on-stdin"));
    ZoneId.of(o.timeZone);
    ZoneId.of(o.dbTimeZone);
    if (!o.from.equals("trim") && !o.from.equals("latest") && !o.from.matches("\\d+")) {
      throw new IllegalArgumentException("from must be trim, latest or epoch ms, not \"" + o.from + "\"");
    }
    if (o.customers != null && !o.customers.matches("^(mysql|mariadb|postgres|postgresql|redshift)://.*")) {
      throw new IllegalArgumentException("customers must be a mysql:// or postgres:// URL");
    }
    return o;
  }

  private static long number(Map<String, String> m, String name, long dflt, long min, long max) {
    String v = m.get(name);
    if (v == null) return dflt;
    long n;
    try {
      // ASCII digits only, as the TypeScript engine's flags (Long.parseLong takes any script's).
      n = v.trim().matches("[+-]?[0-9]+") ? Long.parseLong(v.trim()) : Long.MIN_VALUE;
    } catch (NumberFormatException e) {
      n = Long.MIN_VALUE;
    }
    if (n < min || n > max) {
      throw new IllegalArgumentException(name + " must be a whole number from " + min + " to " + max);
    }
    return n;
  }

  /** A number of hours (fractions allowed, as the config's engine.maxFutureHours) as ms. */
  private static long hours(Map<String, String> m, String name, long dfltMs, double max) {
    String v = m.get(name);
    if (v == null) return dfltMs;
    double h;
    try {
      // A decimal number as the TypeScript engine reads one: not `1d`, `0x1p3` or `NaN`.
      h = DECIMAL.matcher(v.trim()).matches() ? Double.parseDouble(v.trim()) : Double.NaN;
    } catch (NumberFormatException e) {
      h = Double.NaN;
    }
    if (!(h >= 0 && h <= max)) throw new IllegalArgumentException(name + " must be a number from 0 to " + (long) max);
    return Math.round(h * 3_600_000);
  }

  private static final java.util.regex.Pattern DECIMAL =
      java.util.regex.Pattern.compile("[+-]?(?:[0-9]+\\.?[0-9]*|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?");

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  /** Runtime properties on Managed Service for Apache Flink, or null when not running there. */
  static Properties awsRuntimeProperties() {
    // The service writes the application's properties here; KinesisAnalyticsRuntime reads it.
    if (!Files.exists(Path.of("/etc/flink/application_properties.json"))) return null;
    try {
      Map<String, Properties> groups =
          com.amazonaws.services.kinesisanalytics.runtime.KinesisAnalyticsRuntime.getApplicationProperties();
      Properties p = groups.get("livewall");
      return p == null ? new Properties() : p;
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot read the application's runtime properties: " + e.getMessage(), e);
    }
  }
}
