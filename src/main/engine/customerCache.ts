/**
 * A bounded, expiring cache in front of the customer dimension, fetching misses in batches.
 * Nothing waits on it for long: `get` answers at once (undefined while a lookup is under way) and
 * `ensure` waits at most a bound; answers that come later are handed to `onResolved`, so the
 * engine can move the rows it folded without a level.
 */
import type { CustomerDirectory } from './customerDirectory';
import type { CustomerInfo } from './metricsEngine';

export interface CustomerCacheOptions {
  directory: CustomerDirectory;
  /** A found customer is trusted this long (default 5 min): levels change, rarely. */
  ttlMs?: number;
  /** A missing customer is asked again after this (default 1 min): the row may be added. */
  negativeTtlMs?: number;
  /** Most entries kept (default 100 000); the oldest go first. */
  maxEntries?: number;
  /** Most emails per query (default 500). */
  maxBatch?: number;
  /** After a failed lookup, wait this long before asking again (default 2 s). */
  retryMs?: number;
  onResolved?: (email: string, info: CustomerInfo | null) => void;
  onError?: (err: unknown) => void;
  now?: () => number;
}

interface Entry {
  info: CustomerInfo | null;
  expires: number;
}

export interface CustomerCacheStats {
  hits: number;
  misses: number;
  queries: number;
  errors: number;
  size: number;
}

export class CustomerCache {
  private readonly entries = new Map<string, Entry>();
  private readonly wanted = new Set<string>();
  private inFlight: Promise<void> | null = null;
  private retryAt = 0;
  private readonly counts = { hits: 0, misses: 0, queries: 0, errors: 0 };
  private readonly now: () => number;

  constructor(private readonly opts: CustomerCacheOptions) {
    this.now = opts.now ?? Date.now;
  }

  stats(): CustomerCacheStats {
    return { ...this.counts, size: this.entries.size };
  }

  /** The customer (null: none), or undefined when not known yet, which starts a lookup. */
  get(email: string): CustomerInfo | null | undefined {
    const e = this.entries.get(email);
    if (e && e.expires > this.now()) {
      this.counts.hits++;
      return e.info;
    }
    this.counts.misses++;
    this.wanted.add(email);
    this.pump();
    // An expired entry still answers while its refresh runs: stale by minutes beats unknown.
    return e ? e.info : undefined;
  }

  /** Looks the emails up if needed and waits at most `boundMs` for the answers. */
  async ensure(emails: Iterable<string>, boundMs: number): Promise<void> {
    let missing = false;
    for (const m of emails) {
      const e = this.entries.get(m);
      if (!e || e.expires <= this.now()) {
        this.wanted.add(m);
        missing = true;
      }
    }
    if (!missing) return;
    this.pump();
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<void>((resolve) => (timer = setTimeout(resolve, boundMs)));
    const settled = (async () => {
      while (this.inFlight) await this.inFlight;
    })();
    await Promise.race([settled, bound]);
    clearTimeout(timer);
  }

  private pump(): void {
    if (this.inFlight || this.wanted.size === 0) return;
    this.inFlight = this.fetchAll().finally(() => {
      this.inFlight = null;
      if (this.wanted.size > 0)
        setTimeout(() => this.pump(), Math.max(0, this.retryAt - this.now()));
    });
  }

  private async fetchAll(): Promise<void> {
    if (this.now() < this.retryAt) return;
    while (this.wanted.size > 0) {
      const batch = [...this.wanted].slice(0, this.opts.maxBatch ?? 500);
      this.counts.queries++;
      let found: Map<string, CustomerInfo>;
      try {
        found = await this.opts.directory.lookup(batch);
      } catch (err) {
        this.counts.errors++;
        this.retryAt = this.now() + (this.opts.retryMs ?? 2_000);
        this.opts.onError?.(err);
        return;
      }
      const now = this.now();
      for (const email of batch) {
        this.wanted.delete(email);
        const row = found.get(email);
        const expires =
          now + (row ? (this.opts.ttlMs ?? 300_000) : (this.opts.negativeTtlMs ?? 60_000));
        // The answer says how long it stands, so the engine may reuse it for the order's next
        // change until then (that is when this cache would ask again).
        const info = row ? { level: row.level, sex: row.sex, until: expires } : null;
        this.entries.delete(email); // re-insert: Map order is the eviction order
        this.entries.set(email, { info, expires });
        this.opts.onResolved?.(email, info);
      }
      const max = this.opts.maxEntries ?? 100_000;
      for (const key of this.entries.keys()) {
        if (this.entries.size <= max) break;
        this.entries.delete(key);
      }
    }
  }
}
