/**
 * The application menu: demo bursts for a presenter, and the usual view and quit items. In kiosk
 * mode only the bursts and Quit (Ctrl+Alt+Shift+Q) remain: nothing reloads, opens DevTools or
 * leaves kiosk.
 */
import type { MenuItemConstructorOptions } from 'electron';
import type { BurstTarget, BurstTargetId } from '@shared/contracts';
import { QUIT_ACCELERATOR } from './kioskPolicy';

export const MENU_BURSTS = [100, 1_000, 10_000] as const;

export interface MenuActions {
  burst(orders: number, target: BurstTargetId): void;
  toggleKiosk(): void;
  quit(): void;
}

export interface MenuMode {
  /** Kiosk from the config or LIVEWALL_KIOSK=1. */
  kiosk: boolean;
  /** DevTools exist only in unpackaged builds. */
  devTools: boolean;
}

const label = (n: number): string => n.toLocaleString('en-US').replace(/,/g, ' ');

/** One group of burst items per target: the embedded demo, and the configured MySQL. */
function burstItems(
  targets: readonly BurstTarget[],
  actions: MenuActions,
): MenuItemConstructorOptions[] {
  const items: MenuItemConstructorOptions[] = [];
  for (const t of targets) {
    if (items.length > 0) items.push({ type: 'separator' });
    for (const n of MENU_BURSTS) {
      items.push({
        label:
          t.id === 'embedded'
            ? `Demo burst: ${label(n)} orders`
            : `MySQL burst: ${label(n)} orders`,
        click: () => actions.burst(n, t.id),
      });
    }
  }
  return items;
}

export function menuTemplate(
  actions: MenuActions,
  targets: readonly BurstTarget[],
  mode: MenuMode = { kiosk: false, devTools: false },
): MenuItemConstructorOptions[] {
  const quit: MenuItemConstructorOptions = {
    label: 'Quit',
    accelerator: QUIT_ACCELERATOR,
    click: () => actions.quit(),
  };
  const demo: MenuItemConstructorOptions = { label: 'Demo', submenu: burstItems(targets, actions) };
  if (mode.kiosk) return [{ label: 'livewall', submenu: [quit] }, demo];
  const view: MenuItemConstructorOptions[] = [{ role: 'reload' }];
  if (mode.devTools) view.push({ role: 'toggleDevTools' });
  view.push({ role: 'togglefullscreen' });
  return [
    {
      label: 'livewall',
      submenu: [
        { label: 'Toggle kiosk', accelerator: 'F11', click: () => actions.toggleKiosk() },
        { type: 'separator' },
        quit,
      ],
    },
    demo,
    { label: 'View', submenu: view },
  ];
}
