/**
 * test/vectors/ stays one statement for both engines: every file says what it holds, names its
 * cases uniquely, and is read by a vitest test and by a JUnit test.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { readVectors } from './vectors';

const ROOT = join(import.meta.dirname, '../..');
const files = readdirSync(join(ROOT, 'test/vectors')).filter((f) => f.endsWith('.json'));

/** Every file below `dir` with one of the extensions, as text. */
function sources(dir: string, ext: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith(ext))
    .map((e) => readFileSync(join(e.parentPath, e.name), 'utf8'));
}

describe('test/vectors', () => {
  const ts = sources('test', '.test.ts');
  const java = sources('flink/src/test/java', '.java');

  test('holds the files', () => {
    expect(files.length).toBeGreaterThanOrEqual(8);
  });

  test.each(files)('%s: about, unique case names, read by vitest and JUnit', (file) => {
    const v = readVectors<Record<string, unknown>>(file);
    expect(Array.isArray(v.about)).toBe(true);
    for (const [key, list] of Object.entries(v)) {
      if (key === 'about' || !Array.isArray(list) || typeof list[0] !== 'object') continue;
      const names = list.map((c: { name?: unknown }) => c.name);
      expect(
        names.every((n) => typeof n === 'string'),
        `${key}: every case has a name`,
      ).toBe(true);
      expect(new Set(names).size, `${key}: names are unique`).toBe(names.length);
    }
    const quoted = `'${file}'`;
    expect(ts.some((t) => t.includes(`readVectors<`) && t.includes(quoted))).toBe(true);
    expect(java.some((j) => j.includes(`"${file}"`))).toBe(true);
  });
});
