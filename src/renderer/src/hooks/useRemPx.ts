import { useSyncExternalStore } from 'react';

/**
 * The root font size in px. The layout scales with the viewport through rem; chart text is sized
 * and measured by recharts in px, so charts read it here to scale alike.
 */
// Read once per resize, not on every render: getComputedStyle is not free at 10 updates a second.
let remPx: number | null = null;
const readRemPx = (): number =>
  parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;

function subscribe(listener: () => void): () => void {
  const onResize = (): void => {
    remPx = readRemPx();
    listener();
  };
  window.addEventListener('resize', onResize);
  return () => window.removeEventListener('resize', onResize);
}

function getRemPx(): number {
  remPx ??= readRemPx();
  return remPx;
}

export function useRemPx(): number {
  return useSyncExternalStore(subscribe, getRemPx);
}
