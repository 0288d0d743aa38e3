/**
 * The consumer of metric_ds: a StreamReader feeding the metric hub. Records may be contract 2,
 * the workshop job's `{name,value,occur}`, or KPL aggregates of either; anything else is counted,
 * the last few kept for inspection, and skipped.
 */
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import type { MetricRecord } from '@shared/contracts';
import { parseMetricRecord } from '@shared/parse';
import type { MetricHub } from '../services/metricHub';
import { decodeRecord } from './decode';
import type { StartPosition } from './startPosition';
import {
  StreamReader,
  type ReaderStats,
  type ShardBatch,
  type StreamReaderOptions,
} from './streamReader';

export interface MalformedRecord {
  shardId: string;
  sequenceNumber: string | null;
  reason: string;
  /** The first characters of the data, for a person to look at. */
  sample: string;
}

export interface ConsumerStats {
  reader: ReaderStats;
  records: { applied: number; malformed: number };
  lastMalformed: MalformedRecord[];
}

export interface MetricConsumerOptions extends Pick<
  StreamReaderOptions,
  'pollIntervalMs' | 'minCallIntervalMs' | 'listIntervalMs' | 'maxBackoffMs'
> {
  client: Pick<KinesisClient, 'send'>;
  stream: string;
  start: StartPosition;
  target: string;
  timeZone: string;
  hub: MetricHub;
  /** How many malformed records to keep (default 20). */
  keepMalformed?: number;
}

export class MetricConsumer {
  readonly reader: StreamReader;
  private applied = 0;
  private malformed = 0;
  private readonly lastMalformed: MalformedRecord[] = [];

  constructor(private readonly opts: MetricConsumerOptions) {
    const { hub } = opts;
    this.reader = new StreamReader({
      ...opts,
      onRecords: (batch) => this.handle(batch),
      onStatus: (s) => hub.setStatus({ source: 'kinesis', state: s.state, message: s.message }),
    });
  }

  /** Decodes one shard's batch and folds the good records into the hub. */
  handle(batch: ShardBatch): void {
    const good: MetricRecord[] = [];
    for (const r of batch.records) {
      const decoded = decodeRecord(r);
      const seq = r.SequenceNumber ?? null;
      if (!decoded.ok) {
        this.reject(batch.shardId, seq, decoded.error, r.Data);
        continue;
      }
      for (const d of decoded.value) {
        if (!d.ok) {
          this.reject(batch.shardId, seq, d.error, r.Data);
          continue;
        }
        const parsed = parseMetricRecord(d.value.text, { timeZone: this.opts.timeZone });
        if (parsed.ok) good.push(parsed.value);
        else this.reject(batch.shardId, seq, parsed.error, d.value.text);
      }
    }
    this.applied += good.length;
    this.opts.hub.apply(good);
  }

  start(): void {
    this.opts.hub.start();
    this.reader.start();
  }

  async stop(): Promise<void> {
    await this.reader.stop();
    this.opts.hub.stop();
  }

  stats(): ConsumerStats {
    return {
      reader: this.reader.stats(),
      records: { applied: this.applied, malformed: this.malformed },
      lastMalformed: [...this.lastMalformed],
    };
  }

  private reject(
    shardId: string,
    sequenceNumber: string | null,
    reason: string,
    data: Uint8Array | string | undefined,
  ): void {
    this.malformed++;
    const text = typeof data === 'string' ? data : Buffer.from(data ?? []).toString('utf8');
    this.lastMalformed.push({ shardId, sequenceNumber, reason, sample: text.slice(0, 200) });
    if (this.lastMalformed.length > (this.opts.keepMalformed ?? 20)) this.lastMalformed.shift();
  }
}
