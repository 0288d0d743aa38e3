/**
 * Keeps the window full screen on the configured screen as screens come and go
 * (displayChoice.ts decides; this file wires Electron's screen events to it).
 */
import type { BrowserWindow, Display, Screen } from 'electron';
import {
  chooseDisplay,
  displaysAfter,
  sameRect,
  type ChosenDisplay,
  type DisplayDecision,
  type DisplayInfo,
  type Rect,
} from './displayChoice';

type ScreenLike = Partial<Pick<Screen, 'getAllDisplays' | 'getPrimaryDisplay' | 'on'>>;

const info = (d: Pick<Display, 'id' | 'bounds'> | undefined): DisplayInfo | undefined =>
  d && typeof d.id === 'number' && d.bounds ? { id: d.id, bounds: { ...d.bounds } } : undefined;

function listed(screen: ScreenLike): DisplayInfo[] {
  const all = typeof screen.getAllDisplays === 'function' ? screen.getAllDisplays() : [];
  return (Array.isArray(all) ? all : []).map(info).filter((d): d is DisplayInfo => !!d);
}

function primaryId(screen: ScreenLike): number | undefined {
  return typeof screen.getPrimaryDisplay === 'function'
    ? screen.getPrimaryDisplay()?.id
    : undefined;
}

/** Remembers the configured screen and moves the window as screens come and go. */
export class DisplayFollower {
  private chosen: ChosenDisplay | null = null;
  private placed: Rect | null = null;

  constructor(
    private readonly screen: ScreenLike,
    private readonly wanted: number | null,
    private readonly log: (line: string) => void,
  ) {}

  /** The bounds to open on (before the window exists); null when Electron lists no screen. */
  initial(): Rect | null {
    const d = this.decide(listed(this.screen));
    this.placed = d?.display.bounds ?? null;
    return this.placed;
  }

  /** Follows screens being added, removed or changed. */
  follow(win: BrowserWindow): void {
    const on = this.screen.on?.bind(this.screen) as
      ((e: string, l: (...a: unknown[]) => void) => unknown) | undefined;
    if (!on) return;
    on('display-removed', (_e, d) => this.update(win, { removed: info(d as Display | undefined) }));
    on('display-added', (_e, d) => this.update(win, { added: info(d as Display | undefined) }));
    on('display-metrics-changed', () => this.update(win, {}));
  }

  private decide(displays: DisplayInfo[]): DisplayDecision | null {
    const d = chooseDisplay(displays, primaryId(this.screen), this.wanted, this.chosen);
    if (d) this.chosen = d.chosen;
    return d;
  }

  private update(win: BrowserWindow, change: { removed?: DisplayInfo; added?: DisplayInfo }): void {
    try {
      this.move(win, change);
    } catch (err) {
      this.log(`could not follow the screens: ${(err as Error).message}`);
    }
  }

  private move(win: BrowserWindow, change: { removed?: DisplayInfo; added?: DisplayInfo }): void {
    if (win.isDestroyed?.()) return;
    const d = this.decide(displaysAfter(listed(this.screen), change));
    if (!d || sameRect(d.display.bounds, this.placed)) return;
    this.log(
      d.fallback
        ? `screen ${this.wanted} went away; showing on the primary screen until it is back`
        : `showing on ${this.wanted === null ? 'the primary screen' : `screen ${this.wanted}`} (${d.display.bounds.width}×${d.display.bounds.height})`,
    );
    placeOnDisplay(win, d.display.bounds);
    this.placed = d.display.bounds;
  }
}

/** Leaves full screen (and kiosk), moves, and goes back, since a full-screen window will not move. */
export function placeOnDisplay(win: BrowserWindow, bounds: Rect): void {
  const kiosk = win.isKiosk?.() === true;
  if (kiosk) win.setKiosk(false);
  win.setFullScreen?.(false);
  win.setBounds(bounds);
  win.setFullScreen?.(true);
  if (kiosk) win.setKiosk(true);
}
