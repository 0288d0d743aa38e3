/**
 * The engine's stream tags: test/vectors/tags.json, which the Flink job's EngineTagsTest reads
 * too (the tag names, the kinds a reader accepts, and how any text becomes a tag value).
 */
import { describe, expect, test } from 'vitest';
import {
  ENGINE_DETAIL_TAG,
  ENGINE_SINCE_TAG,
  ENGINE_SKIPPED_TAG,
  ENGINE_TAG,
  engineTags,
  parseEngineTags,
  tagValue,
} from '../../../src/main/kinesis/engineTags';
import { ENGINE_KINDS } from '../../../src/shared/contracts';
import { readVectors } from '../../support/vectors';

interface TagVectors {
  names: { engine: string; detail: string; since: string; skipped: string };
  kinds: string[];
  skippedAtStart: string;
  since: { name: string; since: number; text: string }[];
  tagValue: { name: string; text: string; want: string }[];
}

const v = readVectors<TagVectors>('tags.json');

describe('test/vectors/tags.json', () => {
  test('the tag names, the kinds, and what a new run writes', () => {
    expect([ENGINE_TAG, ENGINE_DETAIL_TAG, ENGINE_SINCE_TAG, ENGINE_SKIPPED_TAG]).toEqual([
      v.names.engine,
      v.names.detail,
      v.names.since,
      v.names.skipped,
    ]);
    expect([...ENGINE_KINDS]).toEqual(v.kinds);
    for (const kind of v.kinds) {
      const tags = engineTags({
        kind: kind as (typeof ENGINE_KINDS)[number],
        detail: 'x',
        since: 1,
      });
      expect(tags[v.names.skipped]).toBe(v.skippedAtStart);
      expect(
        parseEngineTags(Object.entries(tags).map(([Key, Value]) => ({ Key, Value })))?.kind,
      ).toBe(kind);
    }
  });

  test.each(v.since.map((c) => [c.name, c] as const))('since: %s', (_, c) => {
    expect(engineTags({ kind: 'engine', detail: '', since: c.since })[v.names.since]).toBe(c.text);
  });

  test.each(v.tagValue.map((c) => [c.name, c] as const))('tagValue: %s', (_, c) => {
    expect(tagValue(c.text)).toBe(c.want);
  });
});
