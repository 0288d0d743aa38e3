package livewall.flink;

import java.io.Serializable;

/**
 * What a change event must be before it is folded (test/vectors/rowChecks.json, shared with the
 * TypeScript engine): of the configured database and table, its `ts` not before the epoch nor
 * later than now plus the tolerance, its amount's cents exact in a double, its `create_time` a
 * calendar datetime not later than now plus the tolerance.
 */
public final class RowChecks implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Why a record is skipped, as the vectors and the counters name it. */
  public static final String MALFORMED = "malformed";
  public static final String OTHER_DATABASE = "other-database";
  public static final String OTHER_TABLE = "other-table";
  public static final String TS_OUT_OF_RANGE = "ts-out-of-range";
  public static final String AMOUNT_OUT_OF_RANGE = "amount-out-of-range";
  public static final String CREATE_TIME_INVALID = "create-time-invalid";
  public static final String CREATE_TIME_FUTURE = "create-time-future";
  public static final String[] REASONS = {
    MALFORMED, OTHER_DATABASE, OTHER_TABLE, TS_OUT_OF_RANGE, AMOUNT_OUT_OF_RANGE, CREATE_TIME_INVALID,
    CREATE_TIME_FUTURE
  };

  /** 2^53 − 1: cents beyond it are not exact in a double (the TypeScript engine's numbers). */
  public static final long MAX_CENTS = 9_007_199_254_740_991L;

  public final String database;
  public final String table;
  public final long maxFutureMs;
  /** Reads create_time in the database's zone (only its parsing is used here). */
  final DbTime time;

  public RowChecks(String database, String table, long maxFutureMs, String dbTimeZone) {
    this.database = database;
    this.table = table;
    this.maxFutureMs = maxFutureMs;
    this.time = new DbTime(dbTimeZone, dbTimeZone, 1);
  }

  /** The amount in cents, or null when it is not finite or its cents pass ±(2^53 − 1). */
  public static Long cents(double amount) {
    double c = amount * 100;
    if (!Double.isFinite(c) || Math.abs(c) > MAX_CENTS) return null;
    return Math.round(c);
  }
}
