/**
 * Keeps the unit subset (test/unitTests.json, vitest's `unit` project, `npm run test:unit`) honest: no file in it may reach, through the test
 * helpers it imports, for a server (kinesalite, MariaDB, PostgreSQL, moto, Chromium), a child
 * process or the built app, or `npm run test:unit` stops being the fast, server-free loop.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';

const ROOT = join(__dirname, '..');
const UNIT_TESTS = JSON.parse(readFileSync(join(__dirname, 'unitTests.json'), 'utf8')) as string[];

/** Helpers that start a server or a browser: importing one at all is a server test. */
const SERVER_HELPERS = [
  'chromium',
  'kinesalite',
  'kinesisFaultProxy',
  'lifecycle',
  'mariadb',
  'moto',
  'mysqlFaultProxy',
  'oracleRig',
  'postgres',
  'sqlOracle',
].map((name) => `test/support/${name}.ts`);
/** Packages that start a process or a browser. */
const SERVER_PACKAGES = ['playwright-core', 'child_process', 'node:child_process'];
/** Helper modules that also spawn: only these names of theirs are allowed. */
const PURE_EXPORTS: Record<string, readonly string[]> = {
  'test/support/processes.ts': ['waitFor', 'makeTempDir', 'TempDir'],
  'test/support/livewall.ts': ['ROOT', 'cliEnv', 'cdcArgs', 'engineFlags', 'streamFlags'],
};
/** Text that means the built app or the CLI is run. */
const BUILT = [
  /['"`/]bin\/livewall\b/,
  /['"]out['"]/,
  /['"`](?:\.\/)?out\/(main|renderer|preload)\b/,
];

interface Import {
  from: string;
  names: string[];
}

/** The static and dynamic imports of a TypeScript source, with the names a static one binds. */
export function importsOf(source: string): Import[] {
  const out: Import[] = [];
  for (const m of source.matchAll(/^\s*import\s+(?:type\s+)?([^;]*?)\s+from\s+'([^']+)'/gm)) {
    const clause = m[1] ?? '';
    const braces = /\{([^}]*)\}/.exec(clause)?.[1];
    const names = braces
      ? braces.split(',').map(
          (n) =>
            n
              .trim()
              .replace(/^type\s+/, '')
              .split(/\s+as\s+/)[0]!,
        )
      : [clause.trim()];
    out.push({ from: m[2]!, names: names.filter((n) => n !== '') });
  }
  for (const m of source.matchAll(/\bimport\(\s*'([^']+)'\s*\)/g)) {
    out.push({ from: m[1]!, names: ['*'] });
  }
  return out;
}

/** Why the file at `path` (relative to the root) is no unit test; empty when it is one. */
export function serverReasons(path: string, read: (p: string) => string | undefined): string[] {
  const reasons: string[] = [];
  const seen = new Set<string>();
  const visit = (file: string, via: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const source = read(file);
    if (source === undefined) return;
    for (const re of BUILT) if (re.test(source)) reasons.push(`${via} runs the built app (${re})`);
    for (const { from, names } of importsOf(source)) {
      if (SERVER_PACKAGES.includes(from)) reasons.push(`${via} imports ${from}`);
      if (!from.startsWith('.')) continue;
      const target = relative(ROOT, resolve(ROOT, dirname(file), from)) + '.ts';
      if (!target.startsWith('test/')) continue; // the code under test is not followed
      const pure = PURE_EXPORTS[target];
      if (SERVER_HELPERS.includes(target)) reasons.push(`${via} imports ${target}`);
      else if (pure) {
        const spawning = names.filter((n) => !pure.includes(n));
        if (spawning.length > 0) reasons.push(`${via} uses ${spawning.join(', ')} of ${target}`);
      } else visit(target, `${via} → ${target}`);
    }
  };
  visit(path, path);
  return reasons;
}

const readRepo = (p: string): string | undefined =>
  existsSync(join(ROOT, p)) ? readFileSync(join(ROOT, p), 'utf8') : undefined;

describe('the unit subset', () => {
  // This file is in the subset too, but its fixtures below spell out what the check refuses.
  const checked = UNIT_TESTS.filter((f) => f !== 'test/unitTests.test.ts');
  test.each(checked.map((f) => [f]))('%s starts no server and no process', (file) => {
    expect(file).toMatch(/^test\/.*\.test\.ts$/);
    expect(existsSync(join(ROOT, file)), `${file} is listed but missing`).toBe(true);
    expect(serverReasons(file, readRepo)).toEqual([]);
  });

  test('every other test file is left out for a reason, so a new unit test joins the list', () => {
    const all = (readdirSync(join(ROOT, 'test'), { recursive: true }) as string[])
      .filter((f) => f.endsWith('.test.ts'))
      .map((f) => `test/${f.split('\\').join('/')}`);
    const unlisted = all.filter((f) => !UNIT_TESTS.includes(f));
    expect(unlisted.filter((f) => serverReasons(f, readRepo).length === 0)).toEqual([]);
  });

  test('the check sees servers, processes and the built app, directly or through a helper', () => {
    const files: Record<string, string> = {
      'test/a.test.ts': "import { useKinesalite } from './support/lifecycle';",
      'test/b.test.ts': "import { spawn } from 'node:child_process';",
      'test/c.test.ts': "import { ROOT, spawnLivewall } from './support/livewall';",
      'test/d.test.ts': "import { helper } from './support/helper';",
      'test/support/helper.ts': "import { chromium } from 'playwright-core';",
      'test/e.test.ts': "const built = join(ROOT, 'out', 'main', 'index.js');",
      'test/f.test.ts': "const m = await import('./support/mariadb');",
      'test/ok.test.ts':
        "import { waitFor } from './support/processes';\nimport { ROOT } from './support/livewall';",
    };
    const reasons = (f: string): string[] => serverReasons(f, (p) => files[p]);
    expect(reasons('test/a.test.ts')).toEqual(['test/a.test.ts imports test/support/lifecycle.ts']);
    expect(reasons('test/b.test.ts')).toEqual(['test/b.test.ts imports node:child_process']);
    expect(reasons('test/c.test.ts')).toEqual([
      'test/c.test.ts uses spawnLivewall of test/support/livewall.ts',
    ]);
    expect(reasons('test/e.test.ts')).toHaveLength(1);
    expect(reasons('test/f.test.ts')).toEqual(['test/f.test.ts imports test/support/mariadb.ts']);
    expect(reasons('test/ok.test.ts')).toEqual([]);
    expect(reasons('test/d.test.ts')).toEqual([
      'test/d.test.ts → test/support/helper.ts imports playwright-core',
    ]);
  });
});
