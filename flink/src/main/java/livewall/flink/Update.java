package livewall.flink;

/** A group's new aggregate (from Flink SQL) on its way to the emitter. */
public class Update {
  public static final int METRIC = 0;
  public static final int DAY_GMV = 1;
  public static final int DAY_PAID = 2;
  public static final int DAY_TOUCH = 3;
  public static final int DAY_BUYERS = 4;
  /** The day's gmv total is beyond what can be written: no aov until it is back in range. */
  public static final int DAY_GMV_OUT_OF_RANGE = 5;

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
