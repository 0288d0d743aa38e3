package livewall.flink;

/** The emitter's state per key: the latest aggregate not yet written, or a day's inputs. */
public class Pending {
  public boolean day;
  public boolean dirty;
  public String name;
  public String win;
  public long start;
  public String dim;
  public String dval;
  public long value;
  public long rows;
  public double occur;
  public long gmvCents;
  /** The day's gmv total is out of range, so its aov is not written (an added field: old state reads as false). */
  public boolean gmvOutOfRange;
  public long paid;
  public long buyers;

  public Pending() {}
}
