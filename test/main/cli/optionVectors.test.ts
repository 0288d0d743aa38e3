/**
 * The options both engines take alike: test/vectors/options.json, which the Flink job's
 * JobOptionsTest reads too (`livewall flink` checks them here, then hands them to the job).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test, vi } from 'vitest';
import { engineSettings, UsageError } from '../../../src/main/cli/common';
import { readVectors } from '../../support/vectors';

interface OptionVectors {
  fields: Record<string, string>;
  cases: { name: string; option: string; value: string; want: number | string | null }[];
}

const v = readVectors<OptionVectors>('options.json');
const dir = mkdtempSync(join(tmpdir(), 'livewall-options-'));
const config = join(dir, 'livewall.json');
writeFileSync(config, '{}');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('test/vectors/options.json', () => {
  test.each(v.cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    // The config file's path is announced on stderr: not this test's output.
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const read = (): unknown =>
      (
        engineSettings('engine', { config, [c.option]: c.value }) as unknown as Record<
          string,
          unknown
        >
      )[v.fields[c.option] as string];
    if (c.want === null) expect(read).toThrow(UsageError);
    else expect(read()).toBe(c.want);
  });
});
