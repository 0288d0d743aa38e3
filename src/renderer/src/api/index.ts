import type { LivewallApi } from '@shared/channels';
import { createWebSocketApi } from './webSocketApi';

let api: LivewallApi | null = null;

/**
 * The bridge: the preload's IPC API inside the Electron window, the WebSocket transport in any
 * other browser. One instance per page, so one socket.
 */
export function getApi(): LivewallApi {
  api ??= window.livewall ?? createWebSocketApi(window.location);
  return api;
}
