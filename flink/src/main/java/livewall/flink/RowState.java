package livewall.flink;

/**
 * What the job keeps per order: the row's facts as folded (so an update or delete retracts
 * exactly what was added, whatever the customer table says now), or a tombstone after a delete.
 */
public class RowState {
  /** False: a tombstone (only the version and day matter). */
  public boolean live;
  public long day;
  public long minute;
  public String city;
  public String status;
  public String mail;
  public long cents;
  public Integer level;
  /** Binlog position of the last change applied, or null. */
  public String version;

  public RowState() {}
}
