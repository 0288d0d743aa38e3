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
  public long paid;
  public long buyers;

  public Pending() {}
}
