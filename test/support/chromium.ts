import { chromium, type Browser, type LaunchOptions } from 'playwright-core';
import { track } from './processes';

/** Debian's Chromium: playwright-core ships no browser and the suite downloads none. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

export const CHROMIUM_ARGS: readonly string[] = [
  // We run as root in CI, where Chromium's sandbox refuses to start.
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  // Nothing may talk to the internet: there is none, and it would make tests slow and flaky.
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // Containers often have a 64 MB /dev/shm, where Chromium crashes on large pages.
  '--disable-dev-shm-usage',
];

/**
 * Launches headless Chromium with a fresh profile: playwright's launch() always creates a new
 * temporary --user-data-dir (and refuses one in `args`) and deletes it on close. On process exit
 * playwright kills the browser itself; stopAll() closes it too.
 */
export async function launchChromium(options: LaunchOptions = {}): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    ...options,
    args: [...CHROMIUM_ARGS, ...(options.args ?? [])],
  });
  const untrack = track('chromium', () => browser.close());
  browser.once('disconnected', untrack);
  return browser;
}
