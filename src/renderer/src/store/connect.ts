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
  let retry: ReturnType<typeof setTimeout> | null = null;
  let targetsRetry: ReturnType<typeof setTimeout> | null = null;
  let statusPushed = false;

  const subscribe = <C extends PushChannel>(channel: C): (() => void) =>
    api.on(channel, (payload) => {
      if (channel === 'source.status') statusPushed = true;
      store.getState().receive[channel]?.(payload);
    });
  const offs = PUSH_CHANNELS.filter((c) => store.getState().receive[c]).map(subscribe);

  const loadSnapshot = (): void => {
    api.getSnapshot().then(
      (snapshot) => {
        if (active) store.getState().receiveSnapshot(snapshot);
      },
      (error: unknown) => {
        if (!active) return;
        console.warn('livewall: snapshot failed, retrying', error);
        retry = setTimeout(loadSnapshot, SNAPSHOT_RETRY_MS);
      },
    );
  };
  loadSnapshot();

  const loadTargets = (): void => {
    api.getBurstTargets().then(
      (targets) => {
        if (active) store.getState().receiveBurstTargets(targets);
      },
      (error: unknown) => {
        if (!active) return;
        // Until they load, a burst goes to the source's default target.
        console.warn('livewall: burst targets failed, retrying', error);
        targetsRetry = setTimeout(loadTargets, TARGETS_RETRY_MS);
      },
    );
  };
  loadTargets();

  api.getStatus().then(
    // A push that came first is newer than this answer.
    (status) => {
      if (active && !statusPushed) store.getState().receive['source.status']?.(status);
    },
    () => undefined,
  );

  return () => {
    active = false;
    if (retry !== null) clearTimeout(retry);
    if (targetsRetry !== null) clearTimeout(targetsRetry);
    for (const off of offs) off();
  };
}
