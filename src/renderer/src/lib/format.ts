/** Number and time formatting for the screen, pure. "—" stands for "no data yet". */
import type { BurstProgress, HealthCheck } from '@shared/api';

export const NO_DATA = '—';

// en-US grouping gives 1,234,567.89, the form finance screens in China use too.
const money = new Intl.NumberFormat('en-US', {
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
});
const count = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const compact = new Intl.NumberFormat('zh-CN', { notation: 'compact', maximumFractionDigits: 1 });

export function formatMoney(value: number | null): string {
  return value === null ? NO_DATA : money.format(value);
}

export function formatCount(value: number | null): string {
  return value === null ? NO_DATA : count.format(value);
}

/** Short axis labels: 12,345 → 1.2万. */
export function formatCompact(value: number): string {
  return compact.format(value);
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
const date = new Intl.DateTimeFormat('zh-CN', {
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  weekday: 'short',
});

/** HH:MM:SS in the screen's time zone. */
export function formatClock(ms: number): string {
  return clock.format(ms);
}

/** HH:MM in the screen's time zone. */
export function formatMinute(ms: number): string {
  return minute.format(ms);
}

export function formatDate(ms: number): string {
  return date.format(ms);
}

/** "updated N s ago"; minutes and hours once seconds stop being readable at a glance. */
export function formatAge(ageMs: number): string {
  const s = Math.max(0, Math.floor(ageMs / 1000));
  if (s < 120) return `updated ${s} s ago`;
  if (s < 7200) return `updated ${Math.floor(s / 60)} min ago`;
  return `updated ${Math.floor(s / 3600)} h ago`;
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
export function formatBurstSummary(s: {
  inserted: number;
  updated: number;
  failed: number;
}): string {
  return `inserted ${s.inserted}, updated ${s.updated}, failed ${s.failed}`;
}

/**
 * The running burst's line: "inserted 640 of 1,000 · updated 120 · 35 steps left". Updated,
 * failed and steps appear once they are not 0; before the first push it is "inserted 0 of N".
 */
export function formatBurstProgress(p: BurstProgress | null, requested: number | null): string {
  const total = p?.requested ?? requested;
  const parts = [`inserted ${formatCount(p?.inserted ?? 0)} of ${formatCount(total)}`];
  if (p && p.updated > 0) parts.push(`updated ${formatCount(p.updated)}`);
  if (p && p.failed > 0) parts.push(`failed ${formatCount(p.failed)}`);
  if (p && p.pendingSteps > 0) {
    parts.push(`${formatCount(p.pendingSteps)} ${p.pendingSteps === 1 ? 'step' : 'steps'} left`);
  }
  return parts.join(' · ');
}

/** The health panel's verdict: "all 3 stages pass", "1 of 3 stages failed". */
export function formatHealthSummary(checks: readonly HealthCheck[]): string {
  const n = checks.length;
  if (n === 0) return 'no stage is configured to check';
  const failed = checks.filter((c) => !c.ok).length;
  const stages = `${formatCount(n)} ${n === 1 ? 'stage' : 'stages'}`;
  if (failed === 0) return n === 1 ? 'the one stage passes' : `all ${stages} pass`;
  return `${formatCount(failed)} of ${stages} failed`;
}
