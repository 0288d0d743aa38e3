import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import { describe, expect, test } from 'vitest';

/*
 * `npm ci` warns (EBADENGINE) for every installed package whose `engines.node` the running Node
 * does not satisfy. livewall runs on Node 20.19+ (package.json's `engines`: the CLI and the
 * services), and development (Electron's tooling, ESLint) wants 22.13+: there no package of the
 * lockfile may warn. The check is npm's own: every package not marked optional, root included.
 */
const QUIET_ON = ['22.13.0', '24.0.0'];

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

describe('the supported Node versions', () => {
  test('engines is Node 20.19+, where the CLI runs', () => {
    expect(pkg.engines.node).toBe('>=20.19');
    expect(semver.minVersion(pkg.engines.node)?.version).toBe('20.19.0');
  });

  test.each(QUIET_ON)('npm ci on Node %s prints no EBADENGINE warning', (version) => {
    expect(warnings(version)).toEqual([]);
  });

  test('Node 20 warns only for development tools: Electron 45 wants 22.12', () => {
    expect(warnings('20.19.0')).toContain('node_modules/electron wants node >= 22.12.0');
  });
});
