import type { LivewallApi } from '../shared/channels';

declare global {
  interface Window {
    /** Present in the Electron app; absent in a browser, where the WebSocket transport serves. */
    livewall?: LivewallApi;
  }
}
