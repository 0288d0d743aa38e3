/**
 * The application menu: demo bursts for a presenter, and the usual view and quit items.
 */
import type { MenuItemConstructorOptions } from 'electron';
import type { BurstTarget, BurstTargetId } from '@shared/api';

export const MENU_BURSTS = [100, 1_000, 10_000] as const;

export interface MenuActions {
  burst(orders: number, target: BurstTargetId): void;
  toggleKiosk(): void;
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
): MenuItemConstructorOptions[] {
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
      submenu: burstItems(targets, actions),
    },
    {
      label: 'View',
      submenu: [{ role: 'reload' }, { role: 'toggleDevTools' }, { role: 'togglefullscreen' }],
    },
  ];
}
