/**
 * The consumer of metric_ds: a StreamReader feeding the metric hub. Records may be contract 2,
 * the workshop job's `{name,value,occur}`, or KPL aggregates of either; anything else is counted,
 * the last few kept for inspection, and skipped.
 */
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import type { MetricRecord, EngineAnnouncement } from '@shared/contracts';
import { parseMetricRecord } from '@shared/parse';
import type { MetricHub } from './metricHub';
import { eachText } from '../kinesis/decode';

/** How far ahead of this machine's clock a record's occur may be (clocks drift; days do not). */
const MAX_AHEAD_MS = 86_400_000;
import { readEngineTags } from '../kinesis/engineTags';
import type { StartPosition } from '../kinesis/startPosition';
import {
  StreamReader,
  type ReaderStats,
  type ReaderStatus,
  type ShardBatch,
  type StreamReaderOptions,
} from '../kinesis/streamReader';

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
  /** The clock that judges a record's occur (tests move it). */
  now?: () => number;
  /** How many malformed records to keep (default 20). */
  keepMalformed?: number;
  /** How often the stream's tags are read for the engine's name (default 60 s). */
  engineCheckIntervalMs?: number;
}

export class MetricConsumer {
  readonly reader: StreamReader;
  private applied = 0;
  private malformed = 0;
  private readonly lastMalformed: MalformedRecord[] = [];
  /** MillisBehindLatest per shard, from each read. */
  private readonly lags = new Map<string, number>();
  private reported: { state: ReaderStatus['state']; message: string | null } = {
    state: 'connecting',
    message: null,
  };
  /** The engine named in the stream's tags (engineTags.ts), null while unknown. */
  private engine: EngineAnnouncement | null = null;
  private engineTimer: NodeJS.Timeout | null = null;

  constructor(private readonly opts: MetricConsumerOptions) {
    this.reader = new StreamReader({
      ...opts,
      onRecords: (batch) => this.handle(batch),
      onStatus: (s) => this.tellStatus({ state: s.state, message: s.message }),
    });
  }

  /** Decodes one shard's batch and folds the good records into the hub. */
  handle(batch: ShardBatch): void {
    if (batch.millisBehindLatest !== null) {
      this.lags.set(batch.shardId, batch.millisBehindLatest);
      this.tellStatus(this.reported);
    }
    const good: MetricRecord[] = [];
    const now = (this.opts.now ?? Date.now)();
    eachText(
      batch.records,
      (text, r) => {
        const parsed = parseMetricRecord(text, { timeZone: this.opts.timeZone });
        if (!parsed.ok) this.reject(batch.shardId, r.SequenceNumber ?? null, parsed.error, text);
        else if (parsed.value.occur > now + MAX_AHEAD_MS) {
          // A record from a broken clock (or ms taken for s) would hold its identity forever:
          // the identity rule keeps the greatest occur.
          this.reject(
            batch.shardId,
            r.SequenceNumber ?? null,
            `"occur" ${new Date(parsed.value.occur).toISOString()} is more than a day ahead of this machine's clock`,
            text,
          );
        } else good.push(parsed.value);
      },
      (reason, r) => this.reject(batch.shardId, r.SequenceNumber ?? null, reason, r.Data),
    );
    this.applied += good.length;
    this.opts.hub.apply(good);
  }

  /**
   * The reader's state, with the slowest shard's lag rounded to whole seconds so the screen hears
   * of a change only when it shows.
   */
  private tellStatus(s: { state: ReaderStatus['state']; message: string | null }): void {
    this.reported = s;
    let lag = 0;
    for (const l of this.lags.values()) lag = Math.max(lag, l);
    this.opts.hub.setStatus({
      source: 'kinesis',
      ...s,
      ...(this.lags.size > 0 ? { lagMs: Math.round(lag / 1000) * 1000 } : {}),
      ...(this.engine ? { engine: this.engine } : {}),
    });
  }

  /**
   * Reads which engine fills the stream. Failing is quiet: a profile without
   * kinesis:ListTagsForStream still shows the metrics, just not the engine's name.
   */
  async checkEngine(): Promise<void> {
    try {
      this.engine = await readEngineTags(this.opts.client, this.opts.stream);
    } catch {
      return;
    }
    this.tellStatus(this.reported);
  }

  start(): void {
    this.opts.hub.start();
    this.reader.start();
    void this.checkEngine();
    this.engineTimer = setInterval(
      () => void this.checkEngine(),
      this.opts.engineCheckIntervalMs ?? 60_000,
    );
    this.engineTimer.unref();
  }

  async stop(): Promise<void> {
    if (this.engineTimer) clearInterval(this.engineTimer);
    this.engineTimer = null;
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
