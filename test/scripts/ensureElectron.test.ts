import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { copyFile, mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  downloadFailedMessage,
  electronBinaryState,
  failureReason,
  type ElectronBinaryFacts,
} from '../../scripts/ensure-electron.mjs';
import { makeTempDir, type TempDir } from '../support/processes';

const root = join(import.meta.dirname, '..', '..');
const SCRIPT = 'scripts/ensure-electron.mjs';

const installed: ElectronBinaryFacts = {
  execPathExists: false,
  packageVersion: '45.5.0',
  pathTxt: 'electron',
  distVersion: '45.5.0',
  executableExists: true,
};

describe('electronBinaryState', () => {
  test.each<[string, Partial<ElectronBinaryFacts>, string]>([
    ['installed by Electron’s installer', {}, 'ready'],
    ['installed, dist/version with a v prefix and newline', { distVersion: 'v45.5.0\n' }, 'ready'],
    ['fresh npm ci: no path.txt, no dist', { pathTxt: null, executableExists: false }, 'download'],
    ['path.txt but the executable is gone', { executableExists: false }, 'download'],
    ['dist of another Electron version', { distVersion: '44.0.0' }, 'download'],
    ['dist without a version file', { distVersion: null }, 'download'],
    [
      'ELECTRON_EXEC_PATH that exists (electron-vite uses it)',
      { execPath: '/opt/electron/electron', execPathExists: true, pathTxt: null },
      'ready',
    ],
    [
      'ELECTRON_EXEC_PATH that does not exist',
      { execPath: '/nowhere/electron', execPathExists: false },
      'exec-path-missing',
    ],
  ])('%s → %s', (_, facts, state) => {
    expect(electronBinaryState({ ...installed, ...facts })).toBe(state);
  });
});

describe('failureReason', () => {
  test.each([
    [
      'TypeError: fetch failed\n    at node:internal/deps/undici/undici:14976:13\n',
      'the download server could not be reached',
    ],
    [
      'HTTPError: Response code 404 (Not Found) for https://mirror.example/v45.5.0/x.zip\n    at F (x.js:1:1)',
      'Response code 404 (Not Found) for https://mirror.example/v45.5.0/x.zip',
    ],
    [
      "Error: EACCES: permission denied, mkdir '/x/dist'\n    at async y",
      "EACCES: permission denied, mkdir '/x/dist'",
    ],
    ['', 'the installer stopped without saying why'],
  ])('%j → %s', (output, reason) => {
    expect(failureReason(output)).toBe(reason);
  });

  test('the message is one sentence with the way out', () => {
    expect(downloadFailedMessage('the download server could not be reached')).toBe(
      'The Electron binary could not be downloaded (the download server could not be reached); ' +
        '`npm run web` shows the same screen in a browser at http://127.0.0.1:3008.',
    );
  });
});

describe('scripts/ensure-electron.mjs where the download fails', () => {
  let tmp: TempDir;
  let project: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    // A copy of the project's start-up path with a fresh `electron` package (no path.txt, no
    // dist), whatever this checkout has downloaded; the installer and its @electron/get are the
    // real ones.
    tmp = await makeTempDir('livewall-ensure-electron-');
    project = join(tmp.path, 'project');
    const electron = join(project, 'node_modules', 'electron');
    await mkdir(join(project, 'scripts'), { recursive: true });
    await mkdir(electron, { recursive: true });
    await mkdir(join(project, 'node_modules', '@electron'));
    await copyFile(join(root, SCRIPT), join(project, SCRIPT));
    for (const file of ['package.json', 'install.js', 'checksums.json'])
      await copyFile(join(root, 'node_modules', 'electron', file), join(electron, file));
    await symlink(
      join(root, 'node_modules', '@electron', 'get'),
      join(project, 'node_modules', '@electron', 'get'),
    );
    env = Object.fromEntries(
      Object.entries(process.env).filter(
        ([k]) => !/electron.*(mirror|cache)|^ELECTRON_(EXEC|OVERRIDE_DIST)_PATH$/i.test(k),
      ),
    );
    // A closed loopback port: the installer fails at once and never reaches the internet; an
    // empty cache, so an Electron zip cached on this machine cannot make it succeed.
    env.ELECTRON_MIRROR = 'http://127.0.0.1:9/';
    env.electron_config_cache = join(tmp.path, 'cache');
  });

  afterAll(async () => {
    await tmp?.remove();
  });

  function run(extraEnv: NodeJS.ProcessEnv = {}): {
    status: number | null;
    stdout: string;
    stderr: string;
  } {
    const r = spawnSync(process.execPath, [SCRIPT], {
      cwd: project,
      env: { ...env, ...extraEnv },
      encoding: 'utf8',
      timeout: 60_000,
    });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  test('prints the one sentence with the way out, no stack trace, and exits 1', () => {
    expect(run()).toEqual({
      status: 1,
      stdout: 'Downloading the Electron binary (first start only)…\n',
      stderr:
        'The Electron binary could not be downloaded (the download server could not be reached); ' +
        '`npm run web` shows the same screen in a browser at http://127.0.0.1:3008.\n',
    });
  });

  test('with ELECTRON_EXEC_PATH set to an existing file it downloads nothing', async () => {
    const fake = join(tmp.path, 'electron');
    await writeFile(fake, '', { mode: 0o755 });
    expect(run({ ELECTRON_EXEC_PATH: fake })).toEqual({ status: 0, stdout: '', stderr: '' });
  });

  test('with ELECTRON_EXEC_PATH naming nothing it says so', () => {
    const missing = join(tmp.path, 'no-such-electron');
    expect(run({ ELECTRON_EXEC_PATH: missing })).toEqual({
      status: 1,
      stdout: '',
      stderr: `ELECTRON_EXEC_PATH names ${missing}, which does not exist.\n`,
    });
  });
});

test('npm start and npm run dev run it first', () => {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  expect([pkg.scripts.prestart, pkg.scripts.predev]).toEqual([`node ${SCRIPT}`, `node ${SCRIPT}`]);
});
