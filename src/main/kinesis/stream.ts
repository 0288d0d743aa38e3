/**
 * DESIGN.md's one stream interface. Two implementations: Kinesis (kinesisStream.ts, any
 * Kinesis-compatible endpoint) and in-process (inProcessStream.ts, the embedded default). Producers
 * such as the engine loop write through it and never know which one they have.
 */

/** One record as both implementations carry it: the partition key and the Data as text. */
export interface StreamRecord {
  partitionKey: string;
  data: string;
  /**
   * What the record is the latest value of (a metric's identity): a queued record of the same
   * identity and partition key is replaced by this one instead of being sent too.
   */
  identity?: string;
}

export interface Stream {
  readonly name: string;
  /** Queues records; one partition key's records arrive in put order. */
  put(records: readonly StreamRecord[]): void;
  /** Records put and not yet acknowledged (absent: the stream takes everything at once). */
  readonly unacked?: number;
  /** Resolves once every record put so far is acknowledged (in-process: delivered). */
  drained(): Promise<void>;
  /** Stops sending; what is in flight finishes. */
  close(): void;
}
