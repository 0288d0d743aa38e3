import { createPackage, extractFile, listPackage } from '@electron/asar';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { makeTempDir, runToCompletion, type TempDir } from '../support/processes';

/*
 * Builds the unpacked Linux app the way the installers are built (electron-builder.yml), from a
 * stand-in Electron distribution, because the real binary cannot be downloaded here. Any attempt
 * to download something goes to a closed loopback port and fails the build.
 */

const root = join(import.meta.dirname, '..', '..');
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const ON = '1'.charCodeAt(0);
const OFF = '0'.charCodeAt(0);

/** Each fuse set in the stand-in to the opposite of what packaging must leave. */
const WANTED: ReadonlyArray<[FuseV1Options, number]> = [
  [FuseV1Options.RunAsNode, OFF],
  [FuseV1Options.EnableCookieEncryption, ON],
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable, OFF],
  [FuseV1Options.EnableNodeCliInspectArguments, OFF],
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation, ON],
  [FuseV1Options.OnlyLoadAppFromAsar, ON],
];

/** A directory shaped like an unpacked Electron zip for Linux, whose `electron` carries a fuse wire. */
async function makeStandInElectron(dir: string): Promise<void> {
  const wire = Array.from({ length: 8 }, () => OFF);
  for (const [fuse, wanted] of WANTED) wire[fuse] = wanted === ON ? OFF : ON;
  await mkdir(join(dir, 'resources'), { recursive: true });
  await mkdir(join(dir, 'locales'));
  await writeFile(
    join(dir, 'electron'),
    Buffer.concat([
      Buffer.from('\x7fELF stand-in '),
      Buffer.from(SENTINEL, 'ascii'),
      Buffer.from([1, wire.length, ...wire]),
      Buffer.from(' rest of the binary'),
    ]),
    { mode: 0o755 },
  );
  const electronVersion = (
    JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')) as {
      version: string;
    }
  ).version;
  await writeFile(join(dir, 'version'), electronVersion);
  await writeFile(join(dir, 'LICENSE'), 'Electron stand-in license');
  await writeFile(join(dir, 'LICENSES.chromium.html'), '<p>stand-in</p>');
  await writeFile(join(dir, 'locales', 'en-US.pak'), 'stand-in');
  await writeFile(join(dir, 'chrome_100_percent.pak'), 'stand-in');
  // A real (tiny) asar: electron-builder hashes every asar in resources/ for the integrity data.
  const defaultApp = join(dir, 'default_app');
  await mkdir(defaultApp);
  await writeFile(join(defaultApp, 'package.json'), '{"name":"default_app","main":"main.js"}');
  await writeFile(join(defaultApp, 'main.js'), '');
  await createPackage(defaultApp, join(dir, 'resources', 'default_app.asar'));
}

/** Packages the development tooling must never ship. */
const DEV_PACKAGES = [
  'electron',
  'electron-builder',
  'electron-vite',
  'vite',
  'vitest',
  'typescript',
  'playwright-core',
  'kinesalite',
  'eslint',
  'prettier',
  'tsx',
  '@electron/asar',
  '@electron/fuses',
];

describe('packaging (electron-builder --linux dir)', () => {
  let tmp: TempDir;
  let appDir: string;
  let entries: string[];

  beforeAll(async () => {
    for (const built of ['out/main/index.js', 'out/preload/index.js', 'out/renderer/index.html'])
      if (!existsSync(join(root, built)))
        throw new Error(`${built} is missing: run \`npx electron-vite build\` first`);
    tmp = await makeTempDir('livewall-package-');
    const dist = join(tmp.path, 'electron-dist');
    const output = join(tmp.path, 'dist');
    await makeStandInElectron(dist);
    const closed = 'http://127.0.0.1:9/';
    await runToCompletion(
      'electron-builder',
      join(root, 'node_modules/.bin/electron-builder'),
      ['--linux', 'dir', `-c.electronDist=${dist}`, `-c.directories.output=${output}`],
      {
        cwd: root,
        timeoutMs: 240_000,
        env: {
          ...process.env,
          // Nothing may be fetched: every mirror and proxy points at a closed port.
          ELECTRON_MIRROR: closed,
          ELECTRON_BUILDER_BINARIES_MIRROR: closed,
          HTTP_PROXY: closed,
          HTTPS_PROXY: closed,
          http_proxy: closed,
          https_proxy: closed,
          NO_PROXY: '',
          no_proxy: '',
          ELECTRON_BUILDER_CACHE: join(tmp.path, 'cache'),
        },
      },
    );
    appDir = join(output, 'linux-unpacked');
    entries = listPackage(join(appDir, 'resources', 'app.asar'), { isPack: false });
  }, 300_000);

  afterAll(async () => {
    await tmp?.remove();
  });

  test('the executable is named livewall and Electron license is kept beside it', () => {
    expect(existsSync(join(appDir, 'livewall'))).toBe(true);
    expect(existsSync(join(appDir, 'electron'))).toBe(false);
    expect(existsSync(join(appDir, 'LICENSE.electron.txt'))).toBe(true);
  });

  test('app.asar holds the built app, package.json and the production dependencies', () => {
    for (const entry of [
      '/package.json',
      '/out/main/index.js',
      '/out/main/cli.js',
      '/out/preload/index.js',
      '/out/renderer/index.html',
      '/node_modules/ws/package.json',
      '/node_modules/react/package.json',
      '/node_modules/pg/package.json',
      '/node_modules/mysql2/package.json',
      '/node_modules/@aws-sdk/client-kinesis/package.json',
    ])
      expect(entries).toContain(entry);
    // Electron starts the packaged package.json's main, so it must be in the asar.
    const packaged = JSON.parse(
      extractFile(join(appDir, 'resources', 'app.asar'), 'package.json').toString('utf8'),
    ) as { main: string; devDependencies?: unknown };
    expect(entries).toContain(`/${packaged.main.replace(/^\.\//, '')}`);
    expect(packaged.devDependencies).toBeUndefined();
    // Every top-level entry is one of these three.
    const top = new Set(entries.map((e) => e.split('/')[1]));
    expect([...top].sort()).toEqual(['node_modules', 'out', 'package.json']);
  });

  test('app.asar holds no sources, source maps, config, dev packages or native modules', () => {
    const offending = entries.filter(
      (e) =>
        /\.(ts|mts|cts|tsx|map)$/.test(e) ||
        /(^|\/)livewall\.config\.json$/.test(e) ||
        /^\/(src|test|bench|\.ci|bin|scripts|resources|\.livewall)(\/|$)/.test(e),
    );
    expect(offending).toEqual([]);
    for (const name of DEV_PACKAGES) expect(entries).not.toContain(`/node_modules/${name}`);
    // npmRebuild is off in electron-builder.yml because nothing is native; a native dependency
    // would need it back on (and Electron's headers at packaging time).
    expect(entries.filter((e) => e.endsWith('.node'))).toEqual([]);
  });

  test('the six fuses are flipped in the packaged executable', async () => {
    const wire = await getCurrentFuseWire(join(appDir, 'livewall'));
    expect(wire.version).toBe('1');
    for (const [fuse, wanted] of WANTED)
      expect({ fuse: FuseV1Options[fuse], state: wire[fuse] }).toEqual({
        fuse: FuseV1Options[fuse],
        state: wanted,
      });
  });
});

describe('app icon (resources/)', () => {
  test('icon.png is a PNG of at least 512×512', () => {
    const png = readFileSync(join(root, 'resources', 'icon.png'));
    expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
    expect(png.readUInt32BE(16)).toBeGreaterThanOrEqual(512);
    expect(png.readUInt32BE(20)).toBeGreaterThanOrEqual(512);
  });

  test('icon.ico holds a 256×256 image (what Windows and the NSIS installer need)', () => {
    const ico = readFileSync(join(root, 'resources', 'icon.ico'));
    expect([ico.readUInt16LE(0), ico.readUInt16LE(2)]).toEqual([0, 1]);
    const sizes = Array.from({ length: ico.readUInt16LE(4) }, (_, i) => ico[6 + i * 16] || 256);
    expect(sizes).toContain(256);
  });
});
