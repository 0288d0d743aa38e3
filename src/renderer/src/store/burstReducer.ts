/** The burst control's state transitions, pure (no DOM, no React). */
import type { BurstSummary } from '@shared/api';

export interface BurstData {
  running: boolean;
  /** Orders asked for by the burst running or last run. */
  requested: number | null;
  lastSummary: BurstSummary | null;
  /** A sentence for the screen when the last burst failed or was refused. */
  lastError: string | null;
}

export type BurstAction =
  | { type: 'start'; orders: number }
  | { type: 'done'; summary: BurstSummary }
  | { type: 'failed'; error: string };

export const initialBurstData: BurstData = {
  running: false,
  requested: null,
  lastSummary: null,
  lastError: null,
};

export function burstReducer(state: BurstData, action: BurstAction): BurstData {
  switch (action.type) {
    case 'start':
      // One burst at a time; a second would make the result shown ambiguous.
      if (state.running) return state;
      return { running: true, requested: action.orders, lastSummary: null, lastError: null };
    case 'done':
      return { ...state, running: false, lastSummary: action.summary, lastError: null };
    case 'failed':
      return { ...state, running: false, lastSummary: null, lastError: action.error };
  }
}

/**
 * The sentence to show for a failed burst. Electron wraps errors thrown in main as
 * "Error invoking remote method 'burst.start': Error: …"; the screen shows only the cause.
 */
export function burstErrorSentence(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const cause = text.replace(/^Error invoking remote method '[^']*': (?:[A-Za-z]*Error: )?/, '');
  return cause.trim() || 'The burst failed for an unknown reason.';
}
