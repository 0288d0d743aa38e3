/**
 * The screen's catalogue: every word the wall shows comes from one `Messages` per language, so a
 * missing translation does not compile. Numbers arrive formatted (the catalogue only places them).
 */
import type { OrderStatus, EngineKind } from '@shared/contracts';
import type { HealthWords } from '@shared/healthWords';

export type SourceState = 'ok' | 'connecting' | 'error';

export interface Messages {
  /** BCP 47 tag for Intl (compact numbers) and `<html lang>`. */
  locale: string;
  /** Server sentences (source errors, burst refusals) are English: shown only where English is. */
  showsServerText: boolean;
  title: string;
  kpi: {
    gmv: string;
    orders: string;
    aov: string;
    /** paid + shipping + finished: not the one `paid` status. */
    soldOrders: string;
    cancelled: string;
    buyers: string;
  };
  trend: {
    title: string;
    orders: string;
    gmv: string;
    /** The legend's mark for the dashed end: the count of the last 60 s, not an estimate. */
    lastSixtySeconds: string;
    /** After the GMV label: GMV is booked to the minute of the order's creation. */
    gmvBooked: string;
    /** Its whole sentence (on hover): a finished minute still grows as its orders are paid. */
    gmvBookedLong: string;
  };
  cities: {
    title: string;
    /** `¥12,345 · 67 单`; values arrive formatted. */
    value(money: string, orders: string): string;
    /** A city without a name in the data. */
    unknown: string;
  };
  status: {
    title: string;
    names: Record<OrderStatus, string>;
  };
  header: {
    health: string;
    healthTitle: { unknown: string; ok: string; failed: string };
    sources: Record<string, string>;
    sourceState: Record<SourceState, string>;
    noSource: string;
    /** The engine that fills the metrics, by the kind it announced (livewall engine, Flink job…). */
    engines: Record<EngineKind, string>;
    /** The stream carries the workshop Flink job's `amount` records (shown on the GMV tile). */
    workshopRecords: string;
    behind(seconds: string): string;
    noDataYet: string;
    updatedSeconds(n: string): string;
    updatedMinutes(n: string): string;
    updatedHours(n: string): string;
    /** `2026年11月29日 周日` / `Sun 29 Nov 2026`, from the date's parts. */
    date(d: { year: number; month: number; day: number; weekday: number }): string;
  };
  banner: {
    source: Record<Exclude<SourceState, 'ok'>, string>;
    noDataYet: string;
    noDataSince(time: string): string;
  };
  burst: {
    title: string;
    target: string;
    targets: { embedded: string };
    ordersInput: string;
    send: string;
    nowhere: string;
    sending(orders: string): string;
    summary(inserted: string, updated: string, failed: string): string;
    progressInserted(inserted: string, total: string): string;
    progressUpdated(n: string): string;
    progressFailed(n: string): string;
    progressSteps(n: string, one: boolean): string;
    progressLabel: string;
    failed: string;
    passwordPlaceholder: string;
    passwordSave: string;
    passwordSaving: string;
    passwordFailed: string;
    passwordSaved: string;
  };
  health: {
    title: string;
    close: string;
    closeLabel: string;
    checking: string;
    none: string;
    allPass(n: string, one: boolean): string;
    someFailed(failed: string, n: string, one: boolean): string;
    checkedAt(time: string): string;
    runFailed: string;
    passed: string;
    failed: string;
    escCloses: string;
    runAgain: string;
    /** A check's code and numbers as a sentence; null where the server's sentence is shown. */
    words(w: HealthWords): string | null;
    /** A passing check the server has not coded. */
    detailPassed: string;
    /** A failing check the server has not coded: where its reason can be read. */
    detailUnworded: string;
  };
  /** The pipeline strip: one chip per configured stage (stage names as main reports them). */
  pipeline: {
    title: string;
    checking: string;
    nothing: string;
    failedRun: string;
    newest: string;
    stages: Record<string, string>;
    /** The age of a stage's newest data: seconds under 90, then minutes, then hours. */
    ageSeconds(n: string): string;
    ageMinutes(n: string): string;
    ageHours(n: string): string;
  };
}
