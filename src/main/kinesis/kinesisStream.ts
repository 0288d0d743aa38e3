/**
 * The Kinesis implementation of a stream: PutRecords through the ordered, retrying StreamWriter.
 * `putRecordsTo` is the one adapter from a Kinesis client to the writer's PutRecords call.
 */
import { PutRecordsCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { describeAwsError } from './awsErrors';
import type { Stream, StreamRecord } from './stream';
import { StreamWriter, type PutRecordsFn, type StreamWriterStats } from './streamWriter';

/** PutRecords on `stream` through `client`: one result entry per request entry, in order. */
export function putRecordsTo(client: KinesisClient, stream: string): PutRecordsFn {
  return async (entries) =>
    (await client.send(new PutRecordsCommand({ StreamName: stream, Records: entries }))).Records ??
    [];
}

export interface KinesisStreamOptions {
  client: KinesisClient;
  name: string;
  /** Where the calls go, for messages. */
  target: string;
  /** A sentence on a failed request being retried. */
  onStatus?: (sentence: string) => void;
}

export class KinesisStream implements Stream {
  readonly name: string;
  private readonly writer: StreamWriter<null>;

  constructor(opts: KinesisStreamOptions) {
    const stream = (this.name = opts.name);
    const say = (sentence: string): void => opts.onStatus?.(sentence);
    this.writer = new StreamWriter<null>({
      put: putRecordsTo(opts.client, stream),
      onAcked: () => undefined,
      // Never give up: a screen's pipeline waits out an outage and says so.
      classify: (err) => ({
        fatal: false,
        sentence: describeAwsError(err, { stream, target: opts.target }).sentence,
      }),
      onFatal: say,
      onRetry: (sentence) => say(`${stream}: ${sentence}`),
    });
  }

  put(records: readonly StreamRecord[]): void {
    this.writer.push(records, null);
  }

  drained(): Promise<void> {
    return this.writer.drained();
  }

  /** Resolves once at most `limit` records are unacknowledged (see StreamWriter.whenBelow). */
  whenBelow(limit: number): Promise<void> {
    return this.writer.whenBelow(limit);
  }

  /** Records put and not yet acknowledged. */
  get unacked(): number {
    return this.writer.unacked;
  }

  close(): void {
    this.writer.close();
  }

  stats(): StreamWriterStats {
    return this.writer.stats();
  }
}
