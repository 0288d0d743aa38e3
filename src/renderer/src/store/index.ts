import { useStore } from 'zustand';
import { getApi } from '../api';
import { createLivewallStore, type LivewallState, type LivewallStore } from './store';

/** The page's one store, fed by connectStore(appStore, getApi()) in App. */
export const appStore: LivewallStore = createLivewallStore({ api: getApi() });

/** Reads the store through a selector; pass a module-level selector, wrapped in useShallow for picks. */
export function useLivewall<T>(selector: (state: LivewallState) => T): T {
  return useStore(appStore, selector);
}
