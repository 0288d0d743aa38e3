/**
 * Issue 13's figure: changelog events/s of the Flink job (`livewall flink`, parallelism 1 and 2)
 * beside `livewall engine`, on the engine bench's workload, each read from the same kind of
 * order stream on kinesalite. Timed from the first metric record to the record of an end marker
 * put after the workload, so the JVM's and the job's start-up are left out.
 */
import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  PutRecordsCommand,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatDbDatetime } from '../src/shared/time';
import { sleep } from '../src/main/lib/backoff';
import { createStream, kinesisClient, startKinesalite } from '../test/support/kinesalite';
import { spawnLivewall } from '../test/support/livewall';
import { orderRow } from '../test/support/changeEvents';
import { workload } from './engine';

type Report = (name: string, value: string) => void;

const TZ = 'Asia/Shanghai';
const EVENTS = 60_000;
const END_CITY = 'bench-end';
/** The longest one run may take before it is reported as unfinished. */
const RUN_LIMIT_MS = 15 * 60_000;

function endMarker(now: number): string {
  const t = formatDbDatetime(now, TZ);
  return JSON.stringify({
    database: 'demo',
    table: 'order',
    type: 'insert',
    ts: Math.floor(now / 1000),
    data: orderRow(999_999_999, t, {
      user_mail: 'bench@livewall.local',
      status: 'unpaid',
      city: END_CITY,
      amount: 1,
    }),
  });
}

async function putAll(client: KinesisClient, stream: string, events: string[]): Promise<void> {
  for (let i = 0; i < events.length; i += 500) {
    const batch = events.slice(i, i + 500);
    let entries = batch.map((e, k) => ({ Data: Buffer.from(e), PartitionKey: String(i + k) }));
    while (entries.length > 0) {
      const r = await client.send(new PutRecordsCommand({ StreamName: stream, Records: entries }));
      entries = entries.filter((_, k) => r.Records?.[k]?.ErrorCode);
      if (entries.length > 0) await sleep(100);
    }
  }
}

/** Seconds from the first metric record to the end marker's, or null when it did not finish. */
async function timeRun(
  client: KinesisClient,
  metrics: string,
  args: string[],
  cwd: string,
): Promise<number | null> {
  const { ShardIterator } = await client.send(
    new GetShardIteratorCommand({
      StreamName: metrics,
      ShardId: 'shardId-000000000000',
      ShardIteratorType: 'LATEST',
    }),
  );
  const proc = spawnLivewall(args, { cwd });
  let it = ShardIterator;
  let first: number | null = null;
  const deadline = Date.now() + RUN_LIMIT_MS;
  try {
    while (it && Date.now() < deadline && proc.exitInfo() === undefined) {
      const r = await client.send(new GetRecordsCommand({ ShardIterator: it, Limit: 10_000 }));
      it = r.NextShardIterator;
      for (const rec of r.Records ?? []) {
        first ??= Date.now();
        const text = Buffer.from(rec.Data ?? []).toString('utf8');
        if (text.includes(`"city":"${END_CITY}"`)) return (Date.now() - first) / 1000;
      }
      if ((r.Records ?? []).length === 0) await sleep(100);
    }
    return null;
  } finally {
    await proc.stop(60_000);
  }
}

export async function flinkBench(report: Report): Promise<void> {
  process.env.AWS_ACCESS_KEY_ID ??= 'bench';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'bench';
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const kinesalite = await startKinesalite({ shardLimit: 50 });
  const dir = await mkdtemp(join(tmpdir(), 'livewall-bench-flink-'));
  const client = kinesisClient(kinesalite.endpoint);
  try {
    const now = Date.now();
    const events = [...workload(EVENTS, now), endMarker(now)];
    const runs: [string, string, string[]][] = [
      ['engine', 'engine', []],
      ['flink-p1', 'flink', ['--parallelism', '1']],
      ['flink-p2', 'flink', ['--parallelism', '2']],
    ];
    for (const [name, command, extra] of runs) {
      await createStream(client, `${name}_order`, 1);
      await createStream(client, `${name}_metric`, 1);
      await putAll(client, `${name}_order`, events);
      const seconds = await timeRun(
        client,
        `${name}_metric`,
        [
          command,
          '--source',
          `${name}_order`,
          '--metrics',
          `${name}_metric`,
          '--dwd',
          '',
          '--endpoint',
          kinesalite.endpoint,
          '--region',
          'us-east-1',
          '--time-zone',
          TZ,
          '--state-dir',
          join(dir, name),
          ...extra,
        ],
        dir,
      );
      const label =
        command === 'engine'
          ? 'engine via kinesalite: events/s (1 process)'
          : `flink via kinesalite: events/s (parallelism ${extra[1]})`;
      report(
        label,
        seconds === null
          ? 'did not finish'
          : Math.round(EVENTS / Math.max(seconds, 0.001)).toLocaleString('en-US'),
      );
    }
  } finally {
    await kinesalite.dispose();
    await rm(dir, { recursive: true, force: true });
  }
}
