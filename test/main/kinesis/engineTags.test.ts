/**
 * Engines name themselves on the streams they write (Kinesis stream tags), and readers find the
 * name again: the round trip on kinesalite, which enforces Kinesis's tag alphabet (the tag rules
 * both engines share are test/vectors/tags.json, tagVectors.test.ts).
 */
import { AddTagsToStreamCommand } from '@aws-sdk/client-kinesis';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, expect, onTestFinished, test } from 'vitest';
import {
  announceEngine,
  engineTags,
  parseEngineTags,
  readEngineTags,
  tagSkipped,
} from '../../../src/main/kinesis/engineTags';
import { describeEngine } from '../../../src/main/health/engineName';
import { createStream, kinesisClient } from '../../support/kinesalite';
import { useKinesalite } from '../../support/lifecycle';

describe('reading the announcement back', () => {
  const tags = (o: Record<string, string>) =>
    Object.entries(o).map(([Key, Value]) => ({ Key, Value }));

  test('round trip', () => {
    const a = { kind: 'flink', detail: 'Flink 1.19.3 on h', since: 1_700_000_000_000 } as const;
    expect(parseEngineTags(tags(engineTags(a)))).toEqual(a);
  });

  test.each([
    [{}, null],
    [{ 'livewall-engine': 'spark' }, null],
    [{ 'livewall-engine': 'engine' }, { kind: 'engine', detail: '', since: null }],
    [
      { 'livewall-engine': 'managed-flink', 'livewall-engine-since': 'soon' },
      { kind: 'managed-flink', detail: '', since: null },
    ],
  ])('%j → %j', (t, want) => {
    expect(parseEngineTags(tags(t))).toEqual(want);
  });
});

describe('on kinesalite', () => {
  const kinesalite = useKinesalite();

  test('announce, then read: among a dozen tags of the stream’s owners too', async () => {
    const client = kinesisClient(kinesalite().endpoint);
    await createStream(client, 'tagged_metric_ds', 1);
    // Owners' own tags first: the engine's come after the first page of ten.
    for (const batch of [0, 1]) {
      const Tags = Object.fromEntries(
        Array.from({ length: 6 }, (_, i) => [`a-owner-${batch}-${i}`, 'x']),
      );
      await client.send(new AddTagsToStreamCommand({ StreamName: 'tagged_metric_ds', Tags }));
    }
    expect(await readEngineTags(client, 'tagged_metric_ds')).toBeNull();
    const a = {
      kind: 'engine',
      detail: 'livewall engine on wall:pc (test)',
      since: Date.now(),
    } as const;
    expect(await announceEngine(client, ['tagged_metric_ds'], a)).toEqual([]);
    expect(await readEngineTags(client, 'tagged_metric_ds')).toEqual({
      ...a,
      detail: 'livewall engine on wall pc test',
    });
    // A newer engine takes over the name.
    const b = { kind: 'flink', detail: 'Flink 1.19.3', since: a.since + 1 } as const;
    await announceEngine(client, ['tagged_metric_ds'], b);
    expect(await readEngineTags(client, 'tagged_metric_ds')).toEqual(b);
  });

  test('the records an engine skipped are named on the stream, and a new run starts clean', async () => {
    const client = kinesisClient(kinesalite().endpoint);
    await createStream(client, 'skipped_metric_ds', 1);
    const a = { kind: 'engine', detail: 'Node 20 on wall', since: Date.now() } as const;
    await announceEngine(client, ['skipped_metric_ds'], a);
    await tagSkipped(client, ['skipped_metric_ds'], {
      'create-time-future': 1,
      'ts-out-of-range': 2,
      malformed: 0,
    });
    const read = await readEngineTags(client, 'skipped_metric_ds');
    expect(read?.skipped).toBe('create-time-future=1 ts-out-of-range=2');
    expect(describeEngine(read as NonNullable<typeof read>, 'metric_ds', Date.now())).toMatch(
      /skipped records it cannot trust \(create-time-future 1, ts-out-of-range 2\)/,
    );
    await announceEngine(client, ['skipped_metric_ds'], a);
    expect((await readEngineTags(client, 'skipped_metric_ds'))?.skipped).toBeUndefined();
  });

  test('a missing stream is named as missing, not as a missing permission', async () => {
    const client = kinesisClient(kinesalite().endpoint);
    const failures = await announceEngine(client, ['no_such_stream'], {
      kind: 'engine',
      detail: 'x',
      since: null,
    });
    expect(failures).toEqual([
      expect.stringMatching(
        /^stream "no_such_stream" does not exist: create it with livewall streams create no_such_stream/,
      ),
    ]);
    expect(failures[0]).not.toContain('AddTagsToStream');
  });

  test('a stream that cannot be tagged for another reason is a sentence, not a failure', async () => {
    const denied = Object.assign(new Error('denied'), { name: 'AccessDeniedException' });
    const failures = await announceEngine({ send: () => Promise.reject(denied) }, ['metric_ds'], {
      kind: 'engine',
      detail: 'x',
      since: null,
    });
    expect(failures).toEqual([
      expect.stringMatching(
        /^cannot tag metric_ds with the engine's name \(AccessDeniedException\); .*kinesis:AddTagsToStream/,
      ),
    ]);
  });

  test('an endpoint that never answers holds nobody: the tagging gives up in time', async () => {
    // Accepts the connection and says nothing, as a half-dead proxy does.
    const silent = createServer(() => undefined);
    await new Promise<void>((done) => silent.listen(0, '127.0.0.1', done));
    onTestFinished(() => new Promise<void>((done) => silent.close(() => done())));
    silent.on('connection', (socket) => onTestFinished(() => void socket.destroy()));
    const { port } = silent.address() as AddressInfo;
    const client = kinesisClient(`http://127.0.0.1:${port}`);
    const failures = await announceEngine(
      client,
      ['metric_ds'],
      { kind: 'engine', detail: 'x', since: null },
      300,
    );
    expect(failures).toEqual([
      expect.stringMatching(/^cannot tag metric_ds with the engine's name \(/),
    ]);
  });
});
