/**
 * Which screen the wall shows on. Config `display` is the 1-based number of a screen in
 * `screen.getAllDisplays()` order (default: the primary). When that screen goes away the window
 * moves to the primary; when it comes back the window returns to it.
 */

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface DisplayInfo {
  id: number;
  bounds: Rect;
}

/** The configured screen as last seen: its id, and how many screens there were then. */
export interface ChosenDisplay {
  id: number;
  count: number;
}

export interface DisplayDecision {
  display: DisplayInfo;
  /** True when the configured screen is missing and the primary stands in. */
  fallback: boolean;
  /** What to remember for the next change. */
  chosen: ChosenDisplay | null;
}

/**
 * The screen to show on. The configured screen is recognised by its id once seen; if it comes
 * back under a new id, its number counts again once there are as many screens as when it was seen
 * (so losing screen 2 of 3 does not move the wall to screen 3).
 */
export function chooseDisplay(
  displays: readonly DisplayInfo[],
  primaryId: number | undefined,
  wanted: number | null,
  chosen: ChosenDisplay | null,
): DisplayDecision | null {
  const primary = displays.find((d) => d.id === primaryId) ?? displays[0];
  if (primary === undefined) return null;
  if (wanted === null) return { display: primary, fallback: false, chosen: null };
  const byId = chosen ? displays.find((d) => d.id === chosen.id) : undefined;
  const byNumber =
    displays.length >= Math.max(wanted, chosen?.count ?? 0) ? displays[wanted - 1] : undefined;
  const display = byId ?? byNumber;
  if (display === undefined) return { display: primary, fallback: true, chosen };
  return { display, fallback: false, chosen: { id: display.id, count: displays.length } };
}

/**
 * The screens after a change event: Electron's list, minus a screen just removed and plus one just
 * added, in case the list is read before it caught up with the event.
 */
export function displaysAfter(
  listed: readonly DisplayInfo[],
  change: { removed?: DisplayInfo; added?: DisplayInfo },
): DisplayInfo[] {
  let out = listed.filter((d) => d.id !== change.removed?.id);
  if (change.added && !out.some((d) => d.id === change.added?.id)) out = [...out, change.added];
  return out;
}

export const sameRect = (a: Rect | null, b: Rect | null): boolean =>
  a !== null &&
  b !== null &&
  a.x === b.x &&
  a.y === b.y &&
  a.width === b.width &&
  a.height === b.height;
