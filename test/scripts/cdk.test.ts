import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { cdkArgs, jarIsStale } from '../../scripts/cdk.mjs';

/** A repository with flink/src, flink/pom.xml and maybe a jar, each file at a given time (s). */
function repo(times: { source: number; pom: number; jar?: number }): string {
  const root = mkdtempSync(join(tmpdir(), 'livewall-cdk-script-'));
  const file = (path: string, at: number): void => {
    const full = join(root, path);
    mkdirSync(join(full, '..'), { recursive: true });
    writeFileSync(full, 'x');
    utimesSync(full, at, at);
  };
  file('flink/src/main/java/livewall/flink/LivewallJob.java', times.source);
  file('flink/pom.xml', times.pom);
  if (times.jar !== undefined) file('flink/target/livewall-flink.jar', times.jar);
  return root;
}

describe('npm run synth / deploy', () => {
  test.each([
    ['missing', { source: 1000, pom: 1000 }, true],
    ['newer than its sources', { source: 1000, pom: 1000, jar: 2000 }, false],
    ['older than a source file', { source: 3000, pom: 1000, jar: 2000 }, true],
    ['older than the POM', { source: 1000, pom: 3000, jar: 2000 }, true],
  ])('a jar %s is built: %s', (_what, times, stale) => {
    expect(jarIsStale(repo(times))).toBe(stale);
  });

  test('synth is quiet and offline; deploy deploys every stack; the rest passes through', () => {
    expect(cdkArgs('synth', ['-c', 'vpc=true'])).toEqual([
      'synth',
      '--quiet',
      '--no-notices',
      '-c',
      'vpc=true',
    ]);
    expect(cdkArgs('deploy', ['--profile', 'admin'])).toEqual([
      'deploy',
      '--all',
      '--no-notices',
      '--profile',
      'admin',
    ]);
    expect(() => cdkArgs('destroy', [])).toThrow(/unknown command "destroy"/);
  });
});
