package livewall.flink;

/** A group's new aggregate (from Flink SQL) on its way to the emitter. */
public class Update {
  public static final int METRIC = 0;
  public static final int DAY_GMV = 1;
  public static final int DAY_PAID = 2;
  public static final int DAY_TOUCH = 3;
  public static final int DAY_BUYERS = 4;

  /** The emitter's key: the metric's identity, or "day|start" for a day's aov and buyers. */
  public String key;
  public int kind;
  public String name;
  public String win;
  public long start;
  public String dim;
  public String dval;
  public long value;
  public long rows;
  public double occur;

  public Update() {}
}
