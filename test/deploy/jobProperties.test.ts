/**
 * The Flink application's property group and the job's options cannot drift apart: every name in
 * JobOptions.NAMES is either set by the deployment or listed as one it leaves alone, and the
 * deployment sets no key the job would reject as unknown.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { DEPLOYED_KEYS, NOT_DEPLOYED } from '../../deploy/lib/jobProperties';
import { ROOT } from '../support/livewall';
import { synthesize } from './synthesized';

/** NAMES as written in the Java source (the array literal after `NAMES =`). */
function jobOptionNames(): string[] {
  const java = readFileSync(
    join(ROOT, 'flink/src/main/java/livewall/flink/JobOptions.java'),
    'utf8',
  );
  const m = /static final String\[\] NAMES = \{([^}]*)\}/.exec(java);
  if (!m) throw new Error('JobOptions.java: no NAMES array found');
  return [...m[1]!.matchAll(/"([^"]+)"/g)].map((x) => x[1]!);
}

test("the deployment's keys and the ones it leaves alone are exactly the job's options", () => {
  const names = jobOptionNames();
  expect(names.length).toBeGreaterThan(15);
  expect(DEPLOYED_KEYS.filter((k) => k in NOT_DEPLOYED)).toEqual([]);
  expect([...DEPLOYED_KEYS, ...Object.keys(NOT_DEPLOYED)].sort()).toEqual([...names].sort());
});

test('the synthesized property group uses only the keys the job reads, and no password', () => {
  const names = new Set(jobOptionNames());
  const { json } = synthesize();
  type Application = {
    Type: string;
    Properties: {
      ApplicationConfiguration: {
        EnvironmentProperties: { PropertyGroups: Array<{ PropertyMap: Record<string, unknown> }> };
      };
    };
  };
  const apps = Object.values(json.Resources as Record<string, Application>).filter(
    (r) => r.Type === 'AWS::KinesisAnalyticsV2::Application',
  );
  const map =
    apps[0]!.Properties.ApplicationConfiguration.EnvironmentProperties.PropertyGroups[0]!
      .PropertyMap;
  for (const key of Object.keys(map)) expect(names, key).toContain(key);
  expect(map).not.toHaveProperty('customers-password');
  expect(map).toHaveProperty('customers-secret-arn');
});
