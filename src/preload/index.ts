/**
 * The only bridge between the sandboxed renderer and main: one narrow typed API, exposed once.
 * Input is validated again in main; nothing here trusts the renderer.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { LivewallApi } from '@shared/api';
import type { InvokeChannel, InvokeChannels, PushChannel, PushChannels } from '@shared/ipc';

function invoker<C extends InvokeChannel>(channel: C) {
  return (request: InvokeChannels[C]['request']): Promise<InvokeChannels[C]['response']> =>
    ipcRenderer.invoke(channel, request);
}

function listener<C extends PushChannel>(channel: C) {
  return (listen: (payload: PushChannels[C]) => void): (() => void) => {
    const wrapped = (_event: IpcRendererEvent, payload: PushChannels[C]): void => listen(payload);
    ipcRenderer.on(channel, wrapped);
    return () => {
      ipcRenderer.removeListener(channel, wrapped);
    };
  };
}

const api: LivewallApi = {
  getSnapshot: () => invoker('metrics.snapshot')(undefined),
  burst: (request) => invoker('burst.start')(request),
  getStatus: () => invoker('source.status')(undefined),
  getBurstTargets: () => invoker('burst.targets')(undefined),
  runHealth: () => invoker('health.run')(undefined),
  setMySqlPassword: (request) => invoker('mysql.password')(request),
  onMetrics: listener('metrics.batch'),
  onStatus: listener('source.status'),
  onBurstProgress: listener('burst.progress'),
};

contextBridge.exposeInMainWorld('livewall', api);
