import { PUSH_CHANNELS, type LivewallApi, type PushChannel } from '@shared/channels';
import type { LivewallStore } from './store';

export const SNAPSHOT_RETRY_MS = 5_000;
export const TARGETS_RETRY_MS = 5_000;

/**
 * Feeds the store from the API; returns the disconnect. It subscribes to every push the store
 * receives (by its name) before asking for the snapshot, so no push falls between the two: the
 * identity rule makes overlap harmless, a gap not.
 */
export function connectStore(store: LivewallStore, api: LivewallApi): () => void {
  let active = true;
  const retries = new Set<ReturnType<typeof setTimeout>>();
  let statusPushed = false;

  const subscribe = <C extends PushChannel>(channel: C): (() => void) =>
    api.on(channel, (payload) => {
      if (channel === 'source.status') statusPushed = true;
      store.getState().receive[channel]?.(payload);
    });
  const offs = PUSH_CHANNELS.filter((c) => store.getState().receive[c]).map(subscribe);

  /** Asks until an answer comes, every `retryMs`, and hands it to the store while connected. */
  const keepAsking = <T>(
    what: string,
    ask: () => Promise<T>,
    take: (answer: T) => void,
    retryMs: number,
  ): void => {
    const attempt = (): void => {
      ask().then(
        (answer) => {
          if (active) take(answer);
        },
        (error: unknown) => {
          if (!active) return;
          console.warn(`livewall: ${what} failed, retrying`, error);
          const retry = setTimeout(() => {
            retries.delete(retry);
            attempt();
          }, retryMs);
          retries.add(retry);
        },
      );
    };
    attempt();
  };
  keepAsking(
    'snapshot',
    () => api.getSnapshot(),
    (snapshot) => store.getState().receiveSnapshot(snapshot),
    SNAPSHOT_RETRY_MS,
  );
  // Until they load, a burst goes to the source's default target.
  keepAsking(
    'burst targets',
    () => api.getBurstTargets(),
    (targets) => store.getState().receiveBurstTargets(targets),
    TARGETS_RETRY_MS,
  );

  api.getStatus().then(
    // A push that came first is newer than this answer.
    (status) => {
      if (active && !statusPushed) store.getState().receive['source.status']?.(status);
    },
    () => undefined,
  );

  return () => {
    active = false;
    for (const retry of retries) clearTimeout(retry);
    for (const off of offs) off();
  };
}
