#!/usr/bin/env node
// Runs before `npm start` and `npm run dev`: Electron 45 no longer downloads its binary at
// install but on first use, and electron-vite only looks for node_modules/electron/path.txt
// (otherwise it dies with "Electron uninstall"). So fetch it here with Electron's own installer,
// and where that is impossible say so in one sentence with the way out, not a stack trace.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Whether the Electron binary is there for electron-vite to start: an explicit ELECTRON_EXEC_PATH
 * (electron-vite uses it as is, so a wrong one is the user's to fix, not a download), or what
 * Electron's installer leaves: path.txt naming an executable in dist/, and dist/version equal to
 * the package's version (else the installer fetches it again).
 * @param {import('./ensure-electron.d.mts').ElectronBinaryFacts} s
 * @returns {import('./ensure-electron.d.mts').ElectronBinaryState}
 */
export function electronBinaryState(s) {
  if (s.execPath) return s.execPathExists ? 'ready' : 'exec-path-missing';
  if (!s.pathTxt || !s.executableExists) return 'download';
  return s.distVersion?.trim().replace(/^v/, '') === s.packageVersion ? 'ready' : 'download';
}

/**
 * The reason in the installer's output: the first line of the error it printed, without the
 * error's class name (the rest is a stack trace nobody starting the app needs). Node's fetch says
 * only "fetch failed" for every network-level failure (DNS, refused, TLS, reset), so say that.
 * @param {string} output
 * @returns {string}
 */
export function failureReason(output) {
  const line = output
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l !== '' && !l.startsWith('at '));
  if (!line) return 'the installer stopped without saying why';
  const message = line.replace(/^[A-Za-z]*Error:\s*/, '');
  return message === 'fetch failed' ? 'the download server could not be reached' : message;
}

/**
 * @param {string} reason
 * @returns {string}
 */
export function downloadFailedMessage(reason) {
  return (
    `The Electron binary could not be downloaded (${reason}); ` +
    '`npm run web` shows the same screen in a browser at http://127.0.0.1:3008.'
  );
}

/** @returns {number} the exit status */
function main() {
  const require = createRequire(import.meta.url);
  let electronDir;
  try {
    electronDir = dirname(require.resolve('electron/package.json'));
  } catch {
    process.stderr.write('The electron package is not installed: run `npm ci` first.\n');
    return 1;
  }
  const read = (file) => {
    try {
      return readFileSync(join(electronDir, file), 'utf8');
    } catch {
      return null;
    }
  };
  const pathTxt = read('path.txt');
  const execPath = process.env.ELECTRON_EXEC_PATH;
  const state = electronBinaryState({
    execPath,
    execPathExists: !!execPath && existsSync(execPath),
    packageVersion: JSON.parse(read('package.json') ?? '{}').version,
    pathTxt,
    distVersion: read(join('dist', 'version')),
    executableExists: !!pathTxt && existsSync(join(electronDir, 'dist', pathTxt)),
  });
  if (state === 'ready') return 0;
  if (state === 'exec-path-missing') {
    process.stderr.write(`ELECTRON_EXEC_PATH names ${execPath}, which does not exist.\n`);
    return 1;
  }

  process.stdout.write('Downloading the Electron binary (first start only)…\n');
  const run = spawnSync(process.execPath, [join(electronDir, 'install.js')], {
    stdio: ['ignore', 'inherit', 'pipe'],
    encoding: 'utf8',
  });
  if (run.status === 0) return 0;
  const reason = run.error ? run.error.message : failureReason(run.stderr ?? '');
  process.stderr.write(`${downloadFailedMessage(reason)}\n`);
  return 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = main();
}
