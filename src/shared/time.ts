/**
 * Calendar arithmetic in an IANA time zone without a date library: Intl gives the wall-clock
 * fields of an instant, and the zone's offset follows from them.
 */

const MINUTE = 60_000;
const DAY = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The machine's time zone, the default for days and database datetimes. */
export function machineTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** True when Intl knows the zone. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function wallClock(ms: number, timeZone: string): WallClock {
  const parts: Record<string, number> = {};
  for (const p of formatterFor(timeZone).formatToParts(new Date(ms))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return {
    year: parts.year ?? 1970,
    month: parts.month ?? 1,
    day: parts.day ?? 1,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
}

/** Date.UTC for any year (Date.UTC reads years 0 to 99 as 1900 to 1999), month 1-based. */
function utcMs(year: number, month: number, day: number, h = 0, m = 0, sec = 0): number {
  if (year >= 100) return Date.UTC(year, month - 1, day, h, m, sec);
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(h, m, sec, 0);
  return d.getTime();
}

const OFFSET_BUCKET = 15 * MINUTE;
const offsetCache = new Map<string, number>();

/**
 * Offset of the zone from UTC at the instant, ms (UTC+8 gives 8 h). Zones change their offset
 * only on quarter hours, so one Intl call per zone and quarter hour serves every instant in it.
 */
export function zoneOffsetMs(ms: number, timeZone: string): number {
  const bucket = Math.floor(ms / OFFSET_BUCKET) * OFFSET_BUCKET;
  const key = `${timeZone}|${bucket}`;
  let offset = offsetCache.get(key);
  if (offset === undefined) {
    const w = wallClock(bucket, timeZone);
    offset = utcMs(w.year, w.month, w.day, w.hour, w.minute, w.second) - bucket;
    if (offsetCache.size > 50_000) offsetCache.clear();
    offsetCache.set(key, offset);
  }
  return offset;
}

/**
 * The instant a wall-clock time in the zone names, as java.time's atZone (the Flink job's DbTime)
 * and Temporal's "compatible" choose: the earlier one when a clock change repeats the time, and
 * for a time a clock change skips, the time read with the offset before the change (02:30 on a
 * spring-forward night at 02:00 is 03:30). test/vectors/time.json pins both engines to this.
 */
export function zonedTimeToMs(w: WallClock, timeZone: string): number {
  const guess = utcMs(w.year, w.month, w.day, w.hour, w.minute, w.second);
  // The offsets a day either side: the same unless a change is near (no zone changes twice a day).
  const before = zoneOffsetMs(guess - DAY, timeZone);
  const after = zoneOffsetMs(guess + DAY, timeZone);
  if (before === after && zoneOffsetMs(guess - before, timeZone) === before) return guess - before;
  const early = guess - Math.max(before, after);
  const late = guess - Math.min(before, after);
  // Each reading that the zone confirms names the time; the earlier of two when it repeats.
  if (zoneOffsetMs(early, timeZone) === guess - early) return early;
  if (zoneOffsetMs(late, timeZone) === guess - late) return late;
  return guess - before; // skipped: read with the offset before the change
}

/** Start of the calendar day holding `ms` in the zone, epoch ms. */
export function dayStart(ms: number, timeZone: string): number {
  const local = ms + zoneOffsetMs(ms, timeZone);
  const midnight = Math.floor(local / DAY) * DAY;
  const w = new Date(midnight);
  return zonedTimeToMs(
    {
      year: w.getUTCFullYear(),
      month: w.getUTCMonth() + 1,
      day: w.getUTCDate(),
      hour: 0,
      minute: 0,
      second: 0,
    },
    timeZone,
  );
}

/** Start of the minute holding `ms` (zones differ from UTC by whole minutes since 1972). */
export function minuteStart(ms: number): number {
  return Math.floor(ms / MINUTE) * MINUTE;
}

const DATETIME = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?$/;

/** Reads a database datetime `YYYY-MM-DD HH:MM:SS` in the database's zone; null when malformed. */
export function parseDbDatetime(text: string, timeZone: string): number | null {
  const m = DATETIME.exec(text);
  if (!m) return null;
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null;
  // A calendar date: February 30 is not one (Date.UTC would quietly make it March 2).
  if (day > 28 && day > new Date(utcMs(year, month + 1, 0)).getUTCDate()) return null;
  return zonedTimeToMs({ year, month, day, hour, minute, second }, timeZone);
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** Writes an instant as a database datetime in the zone, as MySQL and Maxwell print it. */
export function formatDbDatetime(ms: number, timeZone: string): string {
  const w = new Date(ms + zoneOffsetMs(ms, timeZone));
  const date = `${pad(w.getUTCFullYear(), 4)}-${pad(w.getUTCMonth() + 1)}-${pad(w.getUTCDate())}`;
  return `${date} ${pad(w.getUTCHours())}:${pad(w.getUTCMinutes())}:${pad(w.getUTCSeconds())}`;
}
