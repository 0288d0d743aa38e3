/**
 * One zustand store made of typed slices. Batches are buffered and applied at most once per
 * animation frame: zustand calls every listener on each `set`, so a set per push would re-render
 * the screen as often as main sends.
 */
import type { LivewallApi } from '@shared/channels';
import type { BurstTarget, BurstTargetId, FeedStatus, Snapshot } from '@shared/contracts';
import type { Language } from '@shared/language';
import type { PushReceivers } from '@shared/pushes';
import { parseBurstRequest, parsePasswordRequest } from '@shared/parse';
import { createStore, type StateCreator, type StoreApi } from 'zustand/vanilla';
import {
  burstErrorSentence,
  burstReducer,
  initialBurstData,
  passwordErrorSentence,
  type BurstAction,
  type BurstData,
} from './burstReducer';
import {
  healthErrorSentence,
  healthReducer,
  initialHealthData,
  type HealthAction,
  type HealthData,
} from './healthReducer';
import {
  coalesceBatch,
  initialMetricsData,
  metricsReducer,
  pendingToBatch,
  type MetricsAction,
  type MetricsData,
  type PendingBatch,
} from './metricsReducer';

export interface MetricsSlice extends MetricsData {
  /** Applies a snapshot at once (first paint should not wait a frame). */
  receiveSnapshot(snapshot: Snapshot): void;
}

/** The pushes the screen shows, each by its name in the push table (connect.ts feeds them). */
export interface ReceiveSlice {
  receive: PushReceivers;
}

export interface LanguageSlice {
  /** The configured language, from the snapshot; null until one names it. */
  language: Language | null;
}

export interface StatusSlice {
  status: FeedStatus | null;
}

export interface BurstSlice extends BurstData {
  /** Asks the selected target for `orders` orders; the outcome lands in the slice, never thrown. */
  burst(orders: number): Promise<void>;
  receiveBurstTargets(targets: BurstTarget[]): void;
  selectBurstTarget(target: BurstTargetId): void;
  /**
   * Hands the password to the keychain through main. Only the answer lands in the slice: the
   * password is neither kept nor logged.
   */
  saveMySqlPassword(password: string): Promise<void>;
}

export interface HealthSlice {
  /** Nested: the burst slice has its own `running`. Replaced as a whole by the reducer. */
  health: HealthData;
  /** Runs the checks unless a run is under way; the outcome lands in the slice, never thrown. */
  runHealth(): Promise<void>;
  /** Shows the panel and runs the checks at once. */
  openHealth(): Promise<void>;
  closeHealth(): void;
}

export type LivewallState = MetricsSlice &
  LanguageSlice &
  StatusSlice &
  BurstSlice &
  HealthSlice &
  ReceiveSlice;
export type LivewallStore = StoreApi<LivewallState>;

export type StoreApiDeps = Pick<LivewallApi, 'burst' | 'setMySqlPassword' | 'runHealth'>;

export interface StoreDeps {
  api: StoreApiDeps;
  /** Runs a callback before the next paint; requestAnimationFrame in a window. */
  scheduleFrame?: (callback: () => void) => void;
  /** Epoch ms: the clock records are judged by, and the time of a health run; Date.now by default. */
  now?: () => number;
}

type Slice<T> = StateCreator<LivewallState, [], [], T>;

function createMetricsSlice(
  scheduleFrame: (callback: () => void) => void,
  now: () => number,
): Slice<MetricsSlice & LanguageSlice & ReceiveSlice> {
  return (set, get) => {
    let pending: PendingBatch | null = null;
    let scheduled = false;
    const dispatch = (action: MetricsAction): void => {
      const state = get();
      const next = metricsReducer(state, action, now());
      if (next !== state) set(next);
    };
    const flush = (): void => {
      scheduled = false;
      const p = pending;
      pending = null;
      if (p) dispatch({ type: 'batch', batch: pendingToBatch(p) });
    };
    return {
      ...initialMetricsData,
      language: null,
      receiveSnapshot: (snapshot) => {
        if (snapshot.language && snapshot.language !== get().language) {
          set({ language: snapshot.language });
        }
        dispatch({ type: 'snapshot', snapshot });
      },
      receive: {
        // Buffered for the next frame.
        'metrics.batch': (batch) => {
          pending = coalesceBatch(pending, batch);
          if (!scheduled) {
            scheduled = true;
            scheduleFrame(flush);
          }
        },
      },
    };
  };
}

const createStatusSlice: Slice<StatusSlice & ReceiveSlice> = (set) => ({
  status: null,
  receive: { 'source.status': (status) => set({ status }) },
});

function createBurstSlice(api: StoreApiDeps): Slice<BurstSlice & ReceiveSlice> {
  return (set, get) => {
    const dispatch = (action: BurstAction): void => {
      const state = get();
      const next = burstReducer(state, action);
      if (next !== state) set(next);
    };
    return {
      ...initialBurstData,
      burst: async (orders) => {
        if (get().running) return;
        const request = parseBurstRequest({ orders });
        if (!request.ok) {
          dispatch({ type: 'failed', error: request.error });
          return;
        }
        dispatch({ type: 'start', orders: request.value.orders });
        const target = get().target;
        try {
          const summary = await api.burst(target ? { ...request.value, target } : request.value);
          dispatch({ type: 'done', summary });
        } catch (error) {
          dispatch({ type: 'failed', error: burstErrorSentence(error) });
        }
      },
      receiveBurstTargets: (targets) => dispatch({ type: 'targets', targets }),
      receive: { 'burst.progress': (progress) => dispatch({ type: 'progress', progress }) },
      selectBurstTarget: (target) => dispatch({ type: 'select', target }),
      saveMySqlPassword: async (password) => {
        if (get().password.saving) return;
        const request = parsePasswordRequest({ password });
        if (!request.ok) {
          dispatch({ type: 'passwordFailed', error: request.error });
          return;
        }
        dispatch({ type: 'passwordSaving' });
        try {
          dispatch({ type: 'passwordSaved', answer: await api.setMySqlPassword(request.value) });
        } catch (error) {
          dispatch({ type: 'passwordFailed', error: passwordErrorSentence(error) });
        }
      },
    };
  };
}

function createHealthSlice(api: StoreApiDeps, now: () => number): Slice<HealthSlice> {
  return (set, get) => {
    const dispatch = (action: HealthAction): void => {
      const state = get().health;
      const next = healthReducer(state, action);
      if (next !== state) set({ health: next });
    };
    const runHealth = async (): Promise<void> => {
      if (get().health.running) return;
      dispatch({ type: 'start' });
      try {
        dispatch({ type: 'done', checks: await api.runHealth(), at: now() });
      } catch (error) {
        dispatch({ type: 'failed', error: healthErrorSentence(error), at: now() });
      }
    };
    return {
      health: initialHealthData,
      runHealth,
      openHealth: () => {
        dispatch({ type: 'open' });
        return runHealth();
      },
      closeHealth: () => dispatch({ type: 'close' }),
    };
  };
}

function defaultScheduleFrame(callback: () => void): void {
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => callback());
  else setTimeout(callback, 16);
}

export function createLivewallStore(deps: StoreDeps): LivewallStore {
  const scheduleFrame = deps.scheduleFrame ?? defaultScheduleFrame;
  const now = deps.now ?? Date.now;
  return createStore<LivewallState>()((...a) => {
    const metrics = createMetricsSlice(scheduleFrame, now)(...a);
    const status = createStatusSlice(...a);
    const burst = createBurstSlice(deps.api)(...a);
    return {
      ...metrics,
      ...status,
      ...burst,
      ...createHealthSlice(deps.api, now)(...a),
      receive: { ...metrics.receive, ...status.receive, ...burst.receive },
    };
  });
}
