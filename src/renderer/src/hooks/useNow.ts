import { useSyncExternalStore } from 'react';

/**
 * The wall clock, ticking on each whole second. One timer serves every component that shows time
 * (the clock, the freshness indicator), so they never disagree by a tick.
 */
const listeners = new Set<() => void>();
let now = Date.now();
let timer: ReturnType<typeof setTimeout> | null = null;

function tick(): void {
  now = Date.now();
  for (const listen of listeners) listen();
  // Aligned to the next second boundary, so the displayed seconds change on time.
  timer = setTimeout(tick, 1000 - (now % 1000) + 5);
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (timer === null) {
    now = Date.now();
    timer = setTimeout(tick, 1000 - (now % 1000) + 5);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer !== null) {
      clearTimeout(timer);
      timer = null;
    }
  };
}

const getNow = (): number => now;

/** Epoch ms, updated once a second. */
export function useNow(): number {
  return useSyncExternalStore(subscribe, getNow);
}
