package livewall.flink;

import java.io.Serializable;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The calendar of `livewall engine` (src/shared/time.ts and the engine's createdMinute): a row's
 * minute and day from its `create_time` read in the database's zone, days in the screen's zone,
 * and the start of the oldest day kept.
 */
public final class DbTime implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final long DAY = 86_400_000L;
  private static final Pattern DATETIME =
      Pattern.compile("^(\\d{4})-(\\d{2})-(\\d{2})[ T](\\d{2}):(\\d{2}):(\\d{2})(?:\\.\\d+)?$");
  private static final Pattern SECONDS = Pattern.compile("^:[0-5]\\d(?:\\.\\d+)?$");

  private final String timeZone;
  private final String dbTimeZone;
  private final int retentionDays;
  private transient ZoneId zone;
  private transient ZoneId dbZone;
  private transient Map<String, long[]> minuteCache;
  private transient long cutoffAt;
  private transient long cutoffValue;

  public DbTime(String timeZone, String dbTimeZone, int retentionDays) {
    this.timeZone = timeZone;
    this.dbTimeZone = dbTimeZone;
    this.retentionDays = retentionDays;
  }

  private ZoneId zone() {
    if (zone == null) zone = ZoneId.of(timeZone);
    return zone;
  }

  private ZoneId dbZone() {
    if (dbZone == null) dbZone = ZoneId.of(dbTimeZone);
    return dbZone;
  }

  /** Start of the calendar day holding ms, in the screen's zone. */
  public long dayStart(long ms) {
    ZoneId z = zone();
    return Instant.ofEpochMilli(ms).atZone(z).toLocalDate().atStartOfDay(z).toInstant().toEpochMilli();
  }

  /** A database datetime in the database's zone, epoch ms; null when malformed. */
  public Long parseDbDatetime(String text) {
    Matcher m = DATETIME.matcher(text);
    if (!m.matches()) return null;
    int year = Integer.parseInt(m.group(1));
    int month = Integer.parseInt(m.group(2));
    int day = Integer.parseInt(m.group(3));
    int hour = Integer.parseInt(m.group(4));
    int minute = Integer.parseInt(m.group(5));
    int second = Integer.parseInt(m.group(6));
    if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null;
    // Strictly the calendar: February 30 is no date (rowChecks.json), not March 2.
    if (day > YearMonth.of(year, month).lengthOfMonth()) return null;
    LocalDateTime local = LocalDateTime.of(year, month, day, hour, minute, second);
    return local.atZone(dbZone()).toInstant().toEpochMilli();
  }

  /** {minute start, day start} of a create_time, or null when it is not a datetime. */
  public long[] createdMinute(String text) {
    if (minuteCache == null) minuteCache = new HashMap<>();
    String key = text.substring(0, Math.min(16, text.length()));
    long[] hit = minuteCache.get(key);
    if (hit == null && !minuteCache.containsKey(key)) {
      Long minute = parseDbDatetime(key + ":00");
      hit = minute == null ? null : new long[] {Math.floorDiv(minute, 60_000L) * 60_000L, dayStart(minute)};
      if (minuteCache.size() >= 20_000) minuteCache.clear();
      minuteCache.put(key, hit);
    }
    if (hit == null || !SECONDS.matcher(text.substring(key.length())).matches()) return null;
    return hit;
  }

  /** A create_time as epoch ms (whole seconds), or null when it is not a datetime. */
  public Long createdAt(String text) {
    long[] minute = createdMinute(text);
    if (minute == null) return null;
    return minute[0] + 1000L * Integer.parseInt(text.substring(17, 19));
  }

  public int retentionDays() {
    return retentionDays;
  }

  /** Start of the oldest day kept (today and the days before it), recomputed once a second. */
  public long cutoff(long now) {
    if (cutoffAt != 0 && now - cutoffAt < 1000) return cutoffValue;
    long today = dayStart(now);
    cutoffValue = dayStart(today - (retentionDays - 1) * DAY + DAY / 2);
    cutoffAt = now;
    return cutoffValue;
  }
}
