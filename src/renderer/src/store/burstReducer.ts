/** The burst control's state transitions, pure (no DOM, no React). */
import type {
  BurstProgress,
  BurstSummary,
  BurstTarget,
  BurstTargetId,
  PasswordSaved,
} from '@shared/contracts';

/** The keychain answer for the panel; the password itself is never held in state. */
export interface PasswordState {
  saving: boolean;
  /** The answer's sentence, or why it could not be sent. */
  message: string | null;
  /** null until an answer came. */
  saved: boolean | null;
}

export interface BurstData {
  running: boolean;
  /** Orders asked for by the burst running or last run. */
  requested: number | null;
  lastSummary: BurstSummary | null;
  /** A sentence for the screen when the last burst failed or was refused. */
  lastError: string | null;
  /** Where bursts can go, the default first; empty until they load. */
  targets: BurstTarget[];
  /** The targets have loaded (an empty list then means bursts have nowhere to go). */
  targetsLoaded: boolean;
  /** The selected target; null until targets load (the source's default is used then). */
  target: BurstTargetId | null;
  /** The latest progress of the burst running or last run; null before its first push. */
  progress: BurstProgress | null;
  /** The server's number for the burst shown (this panel's own, or one fired elsewhere). */
  burstId: number | null;
  /** The burst shown was fired elsewhere (the app menu, another screen) and is still running. */
  external: boolean;
  password: PasswordState;
}

export type BurstAction =
  | { type: 'start'; orders: number }
  | { type: 'progress'; progress: BurstProgress }
  | { type: 'done'; summary: BurstSummary }
  | { type: 'failed'; error: string }
  | { type: 'targets'; targets: BurstTarget[] }
  | { type: 'select'; target: BurstTargetId }
  | { type: 'passwordSaving' }
  | { type: 'passwordSaved'; answer: PasswordSaved }
  | { type: 'passwordFailed'; error: string };

export const initialPasswordState: PasswordState = { saving: false, message: null, saved: null };

export const initialBurstData: BurstData = {
  running: false,
  requested: null,
  lastSummary: null,
  lastError: null,
  targets: [],
  targetsLoaded: false,
  target: null,
  progress: null,
  burstId: null,
  external: false,
  password: initialPasswordState,
};

export function burstReducer(state: BurstData, action: BurstAction): BurstData {
  switch (action.type) {
    case 'start':
      // One burst at a time; a second would make the result shown ambiguous.
      if (state.running) return state;
      return {
        ...state,
        running: true,
        requested: action.orders,
        lastSummary: null,
        lastError: null,
        progress: null,
        burstId: null,
        external: false,
      };
    case 'progress': {
      const p = action.progress;
      if (state.running) {
        // Pushes reach every screen: follow the burst this panel asked for, known by its number
        // once its first push matched what was asked.
        if (state.burstId !== null)
          return p.burstId === state.burstId ? { ...state, progress: p } : state;
        if (p.requested !== state.requested) return state;
        if (state.target !== null && p.target !== state.target) return state;
        return { ...state, progress: p, burstId: p.burstId };
      }
      // This panel's own burst already answered: a late push changes nothing.
      if (p.burstId === state.burstId && !state.external) return state;
      // A burst fired elsewhere (the app menu, another screen): shown, and its result when done.
      const finished = p.pendingSteps === 0 && p.inserted + p.failed >= p.requested;
      return {
        ...state,
        progress: p,
        burstId: p.burstId,
        requested: p.requested,
        external: !finished,
        lastSummary: finished
          ? { inserted: p.inserted, updated: p.updated, failed: p.failed }
          : null,
        // A refusal ("a burst of … is running; wait for it to finish") stays while that burst runs.
        lastError: finished ? null : state.lastError,
      };
    }
    case 'done':
      return {
        ...state,
        running: false,
        lastSummary: action.summary,
        lastError: null,
        // The summary is the final word: the bar ends where the result says, with no step left.
        progress: state.progress && {
          ...state.progress,
          inserted: action.summary.inserted,
          updated: action.summary.updated,
          failed: action.summary.failed,
          pendingSteps: 0,
        },
      };
    case 'failed':
      return { ...state, running: false, lastSummary: null, lastError: action.error };
    case 'targets': {
      const { targets } = action;
      // Keep a choice the new list still offers; otherwise the default, which comes first.
      const target = targets.some((t) => t.id === state.target)
        ? state.target
        : (targets[0]?.id ?? null);
      return { ...state, targets, target, targetsLoaded: true };
    }
    case 'select':
      // The running burst's pushes are matched by target, so the choice waits for it to end.
      if (state.running || action.target === state.target) return state;
      if (!state.targets.some((t) => t.id === action.target)) return state;
      return { ...state, target: action.target };
    case 'passwordSaving':
      if (state.password.saving) return state;
      return { ...state, password: { saving: true, message: null, saved: null } };
    case 'passwordSaved':
      return {
        ...state,
        password: { saving: false, message: action.answer.message, saved: action.answer.saved },
      };
    case 'passwordFailed':
      return { ...state, password: { saving: false, message: action.error, saved: false } };
  }
}

/**
 * The sentence to show for a failed request to main. Electron wraps errors thrown there as
 * "Error invoking remote method 'burst.start': Error: …"; the screen shows only the cause.
 */
export function invokeErrorSentence(error: unknown, fallback: string): string {
  const text = error instanceof Error ? error.message : String(error);
  const cause = text.replace(/^Error invoking remote method '[^']*': (?:[A-Za-z]*Error: )?/, '');
  return cause.trim() || fallback;
}

/** The sentence to show for a failed burst. */
export function burstErrorSentence(error: unknown): string {
  return invokeErrorSentence(error, 'The burst failed for an unknown reason.');
}

/** The sentence to show when the password could not be saved. */
export function passwordErrorSentence(error: unknown): string {
  return invokeErrorSentence(error, 'The password was not saved, for an unknown reason.');
}
