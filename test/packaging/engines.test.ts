import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import { describe, expect, test } from 'vitest';

/*
 * `npm ci` warns (EBADENGINE) for every installed package whose `engines.node` the running Node
 * does not satisfy. package.json's `engines` is the Node livewall supports for development, so on
 * the lowest version of each of its ranges no package of the lockfile may warn. The check is npm's
 * own: every package not marked optional, root included.
 */

interface LockPackage {
  optional?: boolean;
  engines?: { node?: string } | string[];
}

const root = join(import.meta.dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  engines: { node: string };
};
const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, LockPackage>;
};

/** Packages npm ci would warn about on `version`. */
function warnings(version: string): string[] {
  return Object.entries(lock.packages)
    .filter(([, p]) => !p.optional && !Array.isArray(p.engines) && p.engines?.node)
    .filter(
      ([, p]) =>
        !semver.satisfies(version, (p.engines as { node: string }).node, {
          includePrerelease: true,
        }),
    )
    .map(([path, p]) => `${path || 'livewall'} wants node ${(p.engines as { node: string }).node}`);
}

const lowest = pkg.engines.node
  .split('||')
  .map((range) => semver.minVersion(range.trim())?.version ?? `no version in ${range}`);

describe('the supported Node versions (package.json engines)', () => {
  test('are 22.13+ and 24+', () => {
    expect(lowest).toEqual(['22.13.0', '24.0.0']);
  });

  test.each(lowest)('npm ci on Node %s prints no EBADENGINE warning', (version) => {
    expect(warnings(version)).toEqual([]);
  });

  test('Node 20 (which still runs bin/livewall) is outside them, because Electron 45 wants 22.12', () => {
    expect(warnings('20.19.0')).toContain('node_modules/electron wants node >= 22.12.0');
  });
});
