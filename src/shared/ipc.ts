/**
 * The IPC contract, keyed by channel (Heroic's pattern): request/response channels and
 * main→renderer pushes, derived from the contract table (contract.ts). Only src/main/shell/ipc.ts
 * and src/preload touch ipcMain/ipcRenderer.
 */
export {
  INVOKE_CHANNELS,
  PUSH_CHANNELS,
  type InvokeChannel,
  type InvokeChannels,
  type PushChannel,
  type PushChannels,
} from './contract';
