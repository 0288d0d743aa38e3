/**
 * The only bridge between the sandboxed renderer and main: one narrow typed API, exposed once.
 * Input is validated again in main; nothing here trusts the renderer.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type {
  InvokeChannel,
  InvokeChannels,
  LivewallApi,
  PushChannel,
  PushListener,
} from '@shared/channels';

function invoker<C extends InvokeChannel>(channel: C) {
  return (request: InvokeChannels[C]['request']): Promise<InvokeChannels[C]['response']> =>
    ipcRenderer.invoke(channel, request);
}

function listen<C extends PushChannel>(channel: C, listener: PushListener<C>): () => void {
  // Types only from the table: a value import would bundle its schemas into the sandboxed
  // preload. Main sends on the table's channels alone, so a page naming another hears nothing.
  if (typeof channel !== 'string') throw new TypeError('a push is named by a string');
  const wrapped = (_event: IpcRendererEvent, payload: Parameters<PushListener<C>>[0]): void =>
    listener(payload);
  ipcRenderer.on(channel, wrapped);
  return () => {
    ipcRenderer.removeListener(channel, wrapped);
  };
}

const api: LivewallApi = {
  getSnapshot: () => invoker('metrics.snapshot')(undefined),
  burst: (request) => invoker('burst.start')(request),
  getStatus: () => invoker('source.status')(undefined),
  getBurstTargets: () => invoker('burst.targets')(undefined),
  runHealth: () => invoker('health.run')(undefined),
  setMySqlPassword: (request) => invoker('mysql.password')(request),
  on: listen,
};

contextBridge.exposeInMainWorld('livewall', api);
