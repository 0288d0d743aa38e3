/**
 * What derives from the push table (PUSHES in channels.ts): one listener per push, keyed by the
 * push's name. The feed main forwards and the bridge API a screen reads have the same shape
 * (PushApi), so one function forwards every push to IPC and to the WebSocket alike.
 */
import {
  PUSH_CHANNELS,
  type PushApi,
  type PushChannel,
  type PushChannels,
  type PushListener,
} from './channels';

/** Where each push comes from: one subscribe per push, so a push without a source does not compile. */
export type PushSources = {
  [C in PushChannel]: (listener: PushListener<C>) => () => void;
};

/** Handlers of the pushes a consumer shows; a push it does not show has none. */
export type PushReceivers = { [C in PushChannel]?: (payload: PushChannels[C]) => void };

/** One push as a transport carries it: its name and its payload. */
export type PushSend = <C extends PushChannel>(channel: C, payload: PushChannels[C]) => void;

/** A PushApi over a table of sources. */
export function pushApiOf(sources: PushSources): PushApi {
  return { on: (channel, listener) => sources[channel](listener) };
}

/**
 * Hands every push of the table that `feed` makes to `send`, under its name: IPC and the
 * WebSocket both forward through this. Returns the unsubscribe.
 */
export function forwardPushes(feed: PushApi, send: PushSend): () => void {
  const offs = PUSH_CHANNELS.map((channel) => forwardOne(feed, channel, send));
  return () => {
    for (const off of offs) off();
  };
}

function forwardOne<C extends PushChannel>(feed: PushApi, channel: C, send: PushSend): () => void {
  return feed.on(channel, (payload) => send(channel, payload));
}

/** Listeners by push, for a transport that delivers pushes it received (the browser client). */
export interface PushListeners extends PushApi {
  /** Calls the push's listeners in turn; one that throws is reported and the others still run. */
  emit: PushSend;
}

export function pushListeners(onError: (error: unknown) => void): PushListeners {
  const sets = new Map<PushChannel, Set<(payload: never) => void>>();
  return {
    on(channel, listener) {
      let set = sets.get(channel);
      if (!set) sets.set(channel, (set = new Set()));
      set.add(listener);
      return () => {
        set.delete(listener);
      };
    },
    emit(channel, payload) {
      for (const listen of [...(sets.get(channel) ?? [])]) {
        try {
          (listen as PushListener<typeof channel>)(payload);
        } catch (error) {
          onError(error);
        }
      }
    },
  };
}
