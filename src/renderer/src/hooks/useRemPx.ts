import { useSyncExternalStore } from 'react';

/**
 * The root font size in px. The layout scales with the viewport through rem; chart text is sized
 * and measured by recharts in px, so charts read it here to scale alike.
 */
function subscribe(listener: () => void): () => void {
  window.addEventListener('resize', listener);
  return () => window.removeEventListener('resize', listener);
}

function getRemPx(): number {
  return parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
}

export function useRemPx(): number {
  return useSyncExternalStore(subscribe, getRemPx);
}
