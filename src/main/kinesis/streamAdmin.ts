/**
 * Creating the pipeline's streams and telling whether one exists: what `livewall streams create`
 * and the one-shot readers (`tail`) need before they read. A missing stream is a fact to report
 * at once, never a reason to retry forever.
 */
import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';
import { sleep } from '../lib/backoff';
import { describeAwsError } from './awsErrors';

/** The workshop pipeline's three streams, in the order data flows. */
export const PIPELINE_STREAMS = ['order_ds', 'metric_ds', 'dwd_customer_order_ds'] as const;

export type StreamState =
  | { kind: 'active' }
  | { kind: 'pending'; status: string }
  | { kind: 'missing' }
  | { kind: 'error'; fatal: boolean; sentence: string };

/** One DescribeStreamSummary, its answer or its error classified. */
export async function streamState(
  client: Pick<KinesisClient, 'send'>,
  stream: string,
  target: string,
  timeoutMs = 5_000,
): Promise<StreamState> {
  try {
    const out = await client.send(new DescribeStreamSummaryCommand({ StreamName: stream }), {
      abortSignal: AbortSignal.timeout(timeoutMs),
    });
    const status = out.StreamDescriptionSummary?.StreamStatus ?? 'UNKNOWN';
    return status === 'ACTIVE' || status === 'UPDATING'
      ? { kind: 'active' }
      : { kind: 'pending', status };
  } catch (err) {
    const info = describeAwsError(err, { stream, target });
    if (info.kind === 'not-found') return { kind: 'missing' };
    return {
      kind: 'error',
      fatal: info.kind === 'credentials' || info.kind === 'region' || info.kind === 'invalid',
      sentence: info.sentence,
    };
  }
}

/** The sentence for a stream that does not exist, with the command that creates it. */
export function missingStreamSentence(stream: string, target: string): string {
  return `stream "${stream}" does not exist (${target}): create it with livewall streams create ${stream}, or check the name and the region`;
}

/**
 * Creates each stream that does not exist yet (one that does is left as it is) and waits until
 * all are ACTIVE. Returns one line per stream: created, or already there.
 */
export async function createStreams(
  client: Pick<KinesisClient, 'send'>,
  streams: readonly string[],
  opts: { shards: number; target: string; timeoutMs?: number },
): Promise<string[]> {
  const lines: string[] = [];
  for (const stream of streams) {
    const before = await streamState(client, stream, opts.target);
    if (before.kind === 'error') throw new Error(before.sentence);
    if (before.kind !== 'missing') {
      lines.push(`${stream}: already exists`);
      continue;
    }
    try {
      await client.send(new CreateStreamCommand({ StreamName: stream, ShardCount: opts.shards }));
      lines.push(`${stream}: created with ${opts.shards} shard${opts.shards === 1 ? '' : 's'}`);
    } catch (err) {
      // Someone else created it between our look and our request: it exists, which is the goal.
      if ((err as { name?: string }).name === 'ResourceInUseException') {
        lines.push(`${stream}: already exists`);
        continue;
      }
      throw new Error(
        `cannot create ${stream}: ${describeAwsError(err, { stream, target: opts.target }).sentence}`,
        { cause: err },
      );
    }
  }
  const deadline = Date.now() + (opts.timeoutMs ?? 120_000);
  for (const stream of streams) {
    for (;;) {
      const state = await streamState(client, stream, opts.target);
      if (state.kind === 'active') break;
      if (state.kind === 'error' && state.fatal) throw new Error(state.sentence);
      if (Date.now() > deadline) {
        throw new Error(`${stream} is not ACTIVE after ${(opts.timeoutMs ?? 120_000) / 1000} s`);
      }
      await sleep(250);
    }
  }
  return lines;
}
