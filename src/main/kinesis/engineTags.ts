/**
 * An engine names itself on the streams it writes with Kinesis stream tags, so a screen or
 * `livewall health` reading metric_ds can say which engine fills it. Tags, not records: contract 2
 * stays exactly as DESIGN.md has it, and the Flink job (flink/…/EngineTags.java) writes the same
 * three tags. The newest engine to start wins; a tag outlives a stopped engine, so readers show it
 * as "written by", with the lag checks telling whether it still runs.
 */
import {
  AddTagsToStreamCommand,
  ListTagsForStreamCommand,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';
import { ENGINE_KINDS, type EngineAnnouncement, type EngineKind } from '@shared/contracts';

export const ENGINE_TAG = 'livewall-engine';
export const ENGINE_DETAIL_TAG = 'livewall-engine-detail';
export const ENGINE_SINCE_TAG = 'livewall-engine-since';
/** Records skipped as untrustworthy, per reason (`create-time-future=1 ts-out-of-range=2`). */
export const ENGINE_SKIPPED_TAG = 'livewall-engine-skipped';

/** Kinesis refuses tags with other characters (kinesalite too, and it refuses `:` as well). */
const TAG_TEXT = /[^\p{L}\p{N}\s_./=+\-@]/gu;

/** A tag value: characters Kinesis accepts, at most 256 of them. */
export function tagValue(text: string): string {
  return text.replace(TAG_TEXT, ' ').replace(/\s+/g, ' ').trim().slice(0, 256);
}

export function engineTags(a: EngineAnnouncement): Record<string, string> {
  return {
    // A new run starts with nothing skipped (the tag outlives the engine that wrote it).
    [ENGINE_SKIPPED_TAG]: 'none',
    [ENGINE_TAG]: a.kind,
    [ENGINE_DETAIL_TAG]: tagValue(a.detail),
    ...(a.since !== null ? { [ENGINE_SINCE_TAG]: String(Math.round(a.since)) } : {}),
  };
}

/** The announcement in a stream's tags, or null when no engine has named itself. */
export function parseEngineTags(
  tags: readonly { Key?: string | undefined; Value?: string | undefined }[],
): EngineAnnouncement | null {
  const get = (key: string): string | undefined => tags.find((t) => t.Key === key)?.Value;
  const kind = get(ENGINE_TAG);
  if (!kind || !(ENGINE_KINDS as readonly string[]).includes(kind)) return null;
  const since = Number(get(ENGINE_SINCE_TAG));
  const skipped = get(ENGINE_SKIPPED_TAG);
  const named = skipped && skipped !== 'none' ? skipped : undefined;
  return {
    kind: kind as EngineKind,
    detail: get(ENGINE_DETAIL_TAG) ?? '',
    since: Number.isFinite(since) && since > 0 ? since : null,
    ...(named ? { skipped: named } : {}),
  };
}

/**
 * Updates the skipped-records tag on each stream (an engine calls it now and then, when its
 * counts changed); failures are quiet, the engine's stderr already names the records.
 */
export async function tagSkipped(
  client: Pick<KinesisClient, 'send'>,
  streams: readonly string[],
  counts: Readonly<Record<string, number>>,
  timeoutMs = 5_000,
): Promise<void> {
  const value = tagValue(
    Object.entries(counts)
      .filter(([, n]) => n > 0)
      .map(([reason, n]) => `${reason}=${n}`)
      .join(' '),
  );
  if (!value) return;
  for (const StreamName of streams) {
    await client
      .send(new AddTagsToStreamCommand({ StreamName, Tags: { [ENGINE_SKIPPED_TAG]: value } }), {
        abortSignal: AbortSignal.timeout(timeoutMs),
      })
      .catch(() => undefined);
  }
}

/**
 * Tags each stream; returns a sentence per stream that could not be tagged (the engine runs on:
 * the screen just cannot name it). Needs kinesis:AddTagsToStream on the streams.
 */
export async function announceEngine(
  client: Pick<KinesisClient, 'send'>,
  streams: readonly string[],
  a: EngineAnnouncement,
  timeoutMs = 5_000,
): Promise<string[]> {
  const failures: string[] = [];
  for (const StreamName of streams) {
    try {
      // Bounded: an unreachable endpoint must not hold the engine's start (its reader retries).
      await client.send(new AddTagsToStreamCommand({ StreamName, Tags: engineTags(a) }), {
        abortSignal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      const name = (err as { name?: string }).name ?? 'Error';
      // A missing stream is the problem to name, not the tagging permission.
      if (name === 'ResourceNotFoundException') {
        failures.push(
          `stream "${StreamName}" does not exist: create it with livewall streams create ${StreamName} (the engine keeps trying to write; screens name the engine after its next start)`,
        );
        continue;
      }
      failures.push(
        `cannot tag ${StreamName} with the engine's name (${name}); screens reading it will not name the engine (needs kinesis:AddTagsToStream)`,
      );
    }
  }
  return failures;
}

/** The engine named on a stream; throws what ListTagsForStream throws. */
export async function readEngineTags(
  client: Pick<KinesisClient, 'send'>,
  stream: string,
  signal?: AbortSignal,
): Promise<EngineAnnouncement | null> {
  const tags: { Key?: string | undefined; Value?: string | undefined }[] = [];
  // A page holds 10 tags; a stream may carry up to 50 of its owners' own.
  for (let page = 0; page < 5; page++) {
    const last = tags[tags.length - 1]?.Key;
    const out = await client.send(
      new ListTagsForStreamCommand({
        StreamName: stream,
        ...(last ? { ExclusiveStartTagKey: last } : {}),
      }),
      signal ? { abortSignal: signal } : {},
    );
    for (const t of out.Tags ?? []) tags.push(t);
    if (!out.HasMoreTags || (out.Tags ?? []).length === 0) break;
  }
  return parseEngineTags(tags);
}
