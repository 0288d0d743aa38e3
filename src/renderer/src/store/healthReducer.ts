/** The health panel's state transitions, pure (no DOM, no React). */
import type { HealthCheck } from '@shared/contracts';
import { invokeErrorSentence } from './burstReducer';

export interface HealthData {
  /** The panel is shown. */
  open: boolean;
  /** A run is under way (one at a time: the probes are slow and hit real services). */
  running: boolean;
  /** The checks of the last run that answered; null before one did, or when the last run failed. */
  checks: HealthCheck[] | null;
  /** Why the last run could not answer (the API failed, not a check). */
  error: string | null;
  /** When the last run ended, answered or failed; null before the first. */
  ranAt: number | null;
}

export type HealthAction =
  | { type: 'open' }
  | { type: 'close' }
  | { type: 'start' }
  | { type: 'done'; checks: HealthCheck[]; at: number }
  | { type: 'failed'; error: string; at: number };

export const initialHealthData: HealthData = {
  open: false,
  running: false,
  checks: null,
  error: null,
  ranAt: null,
};

export function healthReducer(state: HealthData, action: HealthAction): HealthData {
  switch (action.type) {
    case 'open':
      return state.open ? state : { ...state, open: true };
    case 'close':
      // A run under way goes on: its answer still colours the header's dot.
      return state.open ? { ...state, open: false } : state;
    case 'start':
      if (state.running) return state;
      // The last result stays until the new one comes, so the dot does not flicker to grey.
      return { ...state, running: true };
    case 'done':
      // An answer nobody asked for (no run under way) is not the last result.
      if (!state.running) return state;
      return { ...state, running: false, checks: action.checks, error: null, ranAt: action.at };
    case 'failed':
      if (!state.running) return state;
      // The old checks would pass for the current ones: gone, the error says why there are none.
      return { ...state, running: false, checks: null, error: action.error, ranAt: action.at };
  }
}

/** The sentence to show when the checks could not run. */
export function healthErrorSentence(error: unknown): string {
  return invokeErrorSentence(error, 'The health checks could not run, for an unknown reason.');
}
