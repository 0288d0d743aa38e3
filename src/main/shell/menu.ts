/**
 * The application menu: demo bursts for a presenter, and the usual view and quit items.
 */
import type { MenuItemConstructorOptions } from 'electron';

export const MENU_BURSTS = [100, 1_000, 10_000] as const;

export interface MenuActions {
  burst(orders: number): void;
  toggleKiosk(): void;
}

const label = (n: number): string => n.toLocaleString('en-US').replace(/,/g, ' ');

export function menuTemplate(actions: MenuActions): MenuItemConstructorOptions[] {
  return [
    {
      label: 'livewall',
      submenu: [
        { label: 'Toggle kiosk', accelerator: 'F11', click: () => actions.toggleKiosk() },
        { type: 'separator' },
        { role: 'quit' },
      ],
    },
    {
      label: 'Demo',
      submenu: MENU_BURSTS.map((n) => ({
        label: `Demo burst: ${label(n)} orders`,
        click: () => actions.burst(n),
      })),
    },
    {
      label: 'View',
      submenu: [{ role: 'reload' }, { role: 'toggleDevTools' }, { role: 'togglefullscreen' }],
    },
  ];
}
