package livewall.flink;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.RowTypeInfo;

/** The row types passed between the DataStream steps and Flink SQL. */
public final class Rows {
  private Rows() {}

  /** A decoded change (contract 1), before the customer lookup. */
  public static final RowTypeInfo CHANGE =
      new RowTypeInfo(
          new TypeInformation<?>[] {
            Types.LONG, Types.STRING, Types.STRING, Types.LONG, Types.STRING, Types.DOUBLE,
            Types.STRING, Types.STRING, Types.STRING, Types.DOUBLE, Types.STRING, Types.STRING
          },
          new String[] {
            "order_id", "user_mail", "status", "good_count", "city", "amount",
            "create_time", "update_time", "op", "ts", "version", "row_key"
          });

  /** Field of CHANGE (and of the enriched rows after it) that keys the per-order state. */
  public static final int ROW_KEY = 11;

  /**
   * One row's contribution to one group: +1/−1 row (cnt) and the value (1 or cents) with its
   * sign, stamped with the change's time. `_buyer` rows count a day's sold orders per mail;
   * `_day` rows mark that a day changed.
   */
  public static final RowTypeInfo DELTA =
      new RowTypeInfo(
          new TypeInformation<?>[] {
            Types.STRING, Types.STRING, Types.LONG, Types.STRING, Types.STRING, Types.LONG, Types.LONG,
            Types.DOUBLE
          },
          new String[] {"name", "win", "start_ms", "dim", "dval", "val", "cnt", "occur"});

  static Maxwell.Change changeOf(org.apache.flink.types.Row r) {
    Maxwell.Change c = new Maxwell.Change();
    c.orderId = (Long) r.getField(0);
    c.userMail = (String) r.getField(1);
    c.status = (String) r.getField(2);
    c.goodCount = (Long) r.getField(3);
    c.city = (String) r.getField(4);
    c.amount = (Double) r.getField(5);
    c.createTime = (String) r.getField(6);
    c.updateTime = (String) r.getField(7);
    c.type = (String) r.getField(8);
    c.ts = (Double) r.getField(9);
    c.version = (String) r.getField(10);
    return c;
  }

  static org.apache.flink.types.Row rowOf(Maxwell.Change c, RowChecks checks) {
    return org.apache.flink.types.Row.of(
        c.orderId, c.userMail, c.status, c.goodCount, c.city, c.amount, c.createTime, c.updateTime,
        c.type, c.ts, c.version, rowKey(checks.database, checks.table, c.orderId));
  }

  /**
   * The per-order state's key: database, table and order_id, so that no event of another table
   * or database can overwrite an order even if one got past the checks.
   */
  public static String rowKey(String database, String table, long orderId) {
    return database + '\u0000' + table + '\u0000' + orderId;
  }
}
