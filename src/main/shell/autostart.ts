/**
 * Start at login (config `autostart`). On Linux an XDG autostart entry,
 * `$XDG_CONFIG_HOME/autostart/livewall.desktop`, that starts the AppImage (`$APPIMAGE`) or the
 * installed executable; on Windows and macOS the OS's login items. The plan is pure; `applyAutostart`
 * does what it says.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';

export type AutostartPlan =
  | { kind: 'desktop-file'; path: string; content: string | null }
  | { kind: 'login-item'; openAtLogin: boolean };

export interface AutostartInput {
  platform: NodeJS.Platform;
  autostart: boolean;
  env: NodeJS.ProcessEnv;
  execPath: string;
  home: string;
}

/** The XDG base directory spec: a relative $XDG_CONFIG_HOME is invalid and ignored. */
export function autostartFile(env: NodeJS.ProcessEnv, home: string): string {
  const xdg = env.XDG_CONFIG_HOME;
  const base = xdg && isAbsolute(xdg) ? xdg : join(home, '.config');
  return join(base, 'autostart', 'livewall.desktop');
}

// Characters that force an Exec argument into double quotes (Desktop Entry spec, "The Exec key").
const RESERVED = /[\s"'\\><~|&;$*?#()`]/;

/**
 * One Exec argument, quoted as the Desktop Entry spec says: inside double quotes `"`, `` ` ``,
 * `$` and `\` take a backslash; then the string-value escapes apply to the whole line (a
 * backslash doubles, so a literal one ends up as four), and `%` doubles (not a field code).
 */
export function execArg(arg: string): string {
  const quoted = RESERVED.test(arg) || arg === '' ? `"${arg.replace(/["`$\\]/g, '\\$&')}"` : arg;
  return quoted
    .replace(/\\/g, '\\\\')
    .replace(/\n/g, '\\n')
    .replace(/\t/g, '\\t')
    .replace(/\r/g, '\\r')
    .replace(/%/g, '%%');
}

export function desktopEntry(command: readonly string[]): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Version=1.0',
    'Name=livewall',
    'Comment=Real-time big screen for streaming order data',
    `Exec=${command.map(execArg).join(' ')}`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

/** What autostart should look like on this machine. */
export function autostartPlan(i: AutostartInput): AutostartPlan {
  if (i.platform !== 'linux') return { kind: 'login-item', openAtLogin: i.autostart };
  // An AppImage runs from a temporary mount; $APPIMAGE is the file the user keeps.
  const program = i.env.APPIMAGE || i.execPath;
  return {
    kind: 'desktop-file',
    path: autostartFile(i.env, i.home),
    content: i.autostart ? desktopEntry([program]) : null,
  };
}

export interface LoginItems {
  setLoginItemSettings(settings: { openAtLogin: boolean }): void;
}

/**
 * Writes or removes the autostart entry (or sets the login item); returns a sentence for the log
 * when something changed. Synchronous and small: it runs once at start.
 */
export function applyAutostart(plan: AutostartPlan, app: Partial<LoginItems>): string | null {
  if (plan.kind === 'login-item') {
    if (typeof app.setLoginItemSettings !== 'function') return null;
    app.setLoginItemSettings({ openAtLogin: plan.openAtLogin });
    return null;
  }
  if (plan.content === null) {
    const existed = existsSync(plan.path);
    rmSync(plan.path, { force: true });
    return existed ? `no longer starts at login: removed ${plan.path}` : null;
  }
  let current: string | null = null;
  try {
    current = readFileSync(plan.path, 'utf8');
  } catch {
    // Not there yet.
  }
  if (current === plan.content) return null;
  mkdirSync(dirname(plan.path), { recursive: true });
  // A temporary file renamed over the old one: a session manager never reads half an entry.
  const temp = `${plan.path}.${process.pid}.tmp`;
  writeFileSync(temp, plan.content, { mode: 0o644 });
  renameSync(temp, plan.path);
  return `starts at login: wrote ${plan.path}`;
}
