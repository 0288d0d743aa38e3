/** Number and time formatting for the screen, pure. "—" stands for "no data yet". */
import type { BurstProgress, HealthCheck } from '@shared/contracts';
import { en } from '../i18n/en';
import type { Messages } from '../i18n/messages';

export const NO_DATA = '—';

// en-US grouping gives 1,234,567.89, the form finance screens in China use too.
const money = new Intl.NumberFormat('en-US', {
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
});
const count = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const wholeMoney = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const compacts = new Map<string, Intl.NumberFormat>();

export function formatMoney(value: number | null): string {
  return value === null ? NO_DATA : money.format(value);
}

/** Yuan without cents, where space is short (the city bars). */
export function formatWholeMoney(value: number | null): string {
  return value === null ? NO_DATA : wholeMoney.format(value);
}

export function formatCount(value: number | null): string {
  return value === null ? NO_DATA : count.format(value);
}

/** Short axis labels in the screen's locale: 15,000 → 1.5万 (zh) or 15K (en). */
export function formatCompact(value: number, locale = 'zh-CN'): string {
  let f = compacts.get(locale);
  if (!f) {
    f = new Intl.NumberFormat(locale, { notation: 'compact', maximumFractionDigits: 2 });
    compacts.set(locale, f);
  }
  return f.format(value);
}

const clock = new Intl.DateTimeFormat('en-GB', {
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});
const minute = new Intl.DateTimeFormat('en-GB', {
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** HH:MM:SS in the screen's time zone. */
export function formatClock(ms: number): string {
  return clock.format(ms);
}

/** HH:MM in the screen's time zone. */
export function formatMinute(ms: number): string {
  return minute.format(ms);
}

/** The screen's date in its language: `2026年11月29日 周日` or `Sun 29 Nov 2026` (local time). */
export function formatDate(ms: number, m: Messages = en): string {
  const d = new Date(ms);
  return m.header.date({
    year: d.getFullYear(),
    month: d.getMonth() + 1,
    day: d.getDate(),
    weekday: d.getDay(),
  });
}

/** "updated N s ago"; minutes and hours once seconds stop being readable at a glance. */
export function formatAge(ageMs: number, m: Messages = en): string {
  const s = Math.max(0, Math.floor(ageMs / 1000));
  if (s < 120) return m.header.updatedSeconds(String(s));
  if (s < 7200) return m.header.updatedMinutes(String(Math.floor(s / 60)));
  return m.header.updatedHours(String(Math.floor(s / 3600)));
}

export type FreshnessLevel = 'none' | 'fresh' | 'aging' | 'old';

export const AGING_AFTER_MS = 15_000;
export const OLD_AFTER_MS = 60_000;

/** Colour class of the freshness indicator: amber after 15 s without a record, red after 60 s. */
export function freshnessLevel(ageMs: number | null): FreshnessLevel {
  if (ageMs === null) return 'none';
  if (ageMs >= OLD_AFTER_MS) return 'old';
  if (ageMs >= AGING_AFTER_MS) return 'aging';
  return 'fresh';
}

/** The sentence of a finished burst, exactly as the screen shows it. */
export function formatBurstSummary(
  s: { inserted: number; updated: number; failed: number },
  m: Messages = en,
): string {
  return m.burst.summary(String(s.inserted), String(s.updated), String(s.failed));
}

/**
 * The running burst's line: "inserted 640 of 1,000 · updated 120 · 35 steps left". Updated,
 * failed and steps appear once they are not 0; before the first push it is "inserted 0 of N".
 */
export function formatBurstProgress(
  p: BurstProgress | null,
  requested: number | null,
  m: Messages = en,
): string {
  const b = m.burst;
  const total = p?.requested ?? requested;
  const parts = [b.progressInserted(formatCount(p?.inserted ?? 0), formatCount(total))];
  if (p && p.updated > 0) parts.push(b.progressUpdated(formatCount(p.updated)));
  if (p && p.failed > 0) parts.push(b.progressFailed(formatCount(p.failed)));
  if (p && p.pendingSteps > 0) {
    parts.push(b.progressSteps(formatCount(p.pendingSteps), p.pendingSteps === 1));
  }
  return parts.join(' · ');
}

/** The health panel's verdict: "all 3 stages pass", "1 of 3 stages failed". */
export function formatHealthSummary(checks: readonly HealthCheck[], m: Messages = en): string {
  const n = checks.length;
  if (n === 0) return m.health.none;
  const failed = checks.filter((c) => !c.ok).length;
  if (failed === 0) return m.health.allPass(formatCount(n), n === 1);
  return m.health.someFailed(formatCount(failed), formatCount(n), n === 1);
}

/**
 * A check's detail in the screen's language: the server's sentence where the screen shows
 * English; elsewhere the catalogue's wording of its code and numbers, or, for a check the server
 * has not coded yet, a plain "passed" or "see the bilingual screen" (never English in `zh`).
 */
export function healthDetail(check: HealthCheck, m: Messages = en): string {
  if (m.showsServerText) return check.detail;
  const worded = check.words ? m.health.words(check.words) : null;
  if (worded !== null) return worded;
  return check.ok ? m.health.detailPassed : m.health.detailUnworded;
}
