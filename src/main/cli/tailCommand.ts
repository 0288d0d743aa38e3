/**
 * `livewall tail <stream>`: the workshop's read_kinesis.py done right. Reads every shard (from
 * `--from`, default latest), de-aggregates KPL records and prints one decoded JSON record per
 * line. Malformed records go to stderr with their shard and sequence number, and are skipped.
 */
import { parseChangeEvent, parseMetricRecord, parseWideRow } from '@shared/parse';
import type { Result } from '@shared/result';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { backoffMs, sleep } from '../lib/backoff';
import { createKinesisClient } from '../kinesis/kinesisClient';
import { missingStreamSentence, streamState } from '../kinesis/streamAdmin';
import { describeTarget, kinesisSettings } from '../kinesis/settings';
import { eachText } from '../kinesis/decode';
import { parseStartPosition } from '../kinesis/startPosition';
import { StreamReader } from '../kinesis/streamReader';
import {
  AWS_ENV,
  awsFlags,
  COMMON_FLAGS,
  commonConfig,
  numberOption,
  UsageError,
  untilSignal,
} from './common';
import { parseCommand, type CommandSpec } from './usage';

export const TAIL = {
  name: 'tail',
  brief: "print a stream's records, one JSON per line",
  summary:
    "Print a stream's records, one decoded JSON per line (KPL aggregates unpacked, every shard). Malformed records are named on stderr and skipped.",
  positionals: '<stream>',
  flags: {
    from: {
      type: 'string',
      value: 'POS',
      default: 'latest',
      help: 'where to start: latest, trim, today or an ISO time',
    },
    limit: { type: 'string', value: 'N', help: 'stop after N records' },
    raw: { type: 'boolean', help: 'print the records as stored, unchecked' },
    format: {
      type: 'string',
      value: 'KIND',
      default: 'from the name',
      help: 'check records as change, metric, wide or json',
    },
    ...COMMON_FLAGS,
  },
  env: AWS_ENV,
  examples: [
    'livewall tail metric_ds --from today --limit 5',
    'livewall tail order_ds --endpoint http://127.0.0.1:4567',
  ],
  notes: [
    'Exit codes: 0 done (--limit reached or Ctrl-C), 1 the stream is missing or unreadable, 2 bad usage.',
  ],
} as const satisfies CommandSpec;

export type TailFormat = 'change' | 'metric' | 'wide' | 'json';

/** What the records of a stream are, from its name (the workshop's three streams), else any JSON. */
export function formatForStream(stream: string): TailFormat {
  if (/order_ds$/.test(stream) && !/^dwd/.test(stream)) return 'change';
  if (/metric/.test(stream)) return 'metric';
  if (/^dwd_/.test(stream)) return 'wide';
  return 'json';
}

/**
 * One line for a record's text, or the reason it is malformed. Valid records print as sent
 * (compacted, keys and extra fields kept), except metric records, which print as the full
 * contract 2 record they mean (the workshop's short form gains its window, start and dims).
 */
export function renderRecord(text: string, format: TailFormat, timeZone: string): Result<string> {
  let check: Result<unknown> = { ok: true, value: null };
  switch (format) {
    case 'change':
      check = parseChangeEvent(text);
      break;
    case 'metric': {
      const metric = parseMetricRecord(text, { timeZone });
      return metric.ok ? { ok: true, value: JSON.stringify(metric.value) } : metric;
    }
    case 'wide':
      check = parseWideRow(text);
      break;
  }
  if (!check.ok) return check;
  try {
    return { ok: true, value: JSON.stringify(JSON.parse(text)) };
  } catch {
    return { ok: false, error: 'not JSON' };
  }
}

/**
 * Returns once the stream can be read. A missing stream, or AWS settings that cannot work, end
 * a one-shot command at once (it would wait forever); an unreachable endpoint is said once and
 * retried, as the reader itself would.
 */
async function untilStreamReadable(
  client: Pick<KinesisClient, 'send'>,
  stream: string,
  target: string,
  say: (message: string) => void,
): Promise<void> {
  let said = '';
  for (let attempt = 0; ; attempt++) {
    const state = await streamState(client, stream, target);
    if (state.kind === 'active') return;
    if (state.kind === 'missing') throw new Error(missingStreamSentence(stream, target));
    if (state.kind === 'error' && state.fatal) throw new Error(state.sentence);
    const line =
      state.kind === 'pending'
        ? `stream "${stream}" is ${state.status}; waiting until it is ACTIVE`
        : `${state.sentence} Retrying.`;
    if (line !== said) say((said = line));
    await sleep(backoffMs(attempt));
  }
}

export async function tail(args: string[]): Promise<number> {
  const { values, positionals } = parseCommand(TAIL, args);
  const [stream, ...extra] = positionals;
  if (!stream || extra.length > 0)
    throw new UsageError('tail takes one stream name, e.g. livewall tail metric_ds');
  const config = commonConfig('tail', values);
  const limit = numberOption(values.limit, 'limit', 1, Number.MAX_SAFE_INTEGER);
  const start = parseStartPosition(values.from ?? 'latest', { timeZone: config.timeZone });
  if (!start.ok) throw new UsageError(start.error);
  const format = (values.format ?? formatForStream(stream)) as TailFormat;
  if (!['change', 'metric', 'wide', 'json'].includes(format)) {
    throw new UsageError('--format must be change, metric, wide or json');
  }
  const settings = kinesisSettings(awsFlags(values), process.env, config.aws);
  const target = describeTarget(settings);

  let printed = 0;
  let malformed = 0;
  let done: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (done = resolve));
  const out = (line: string): void => {
    if (limit !== undefined && printed >= limit) return;
    process.stdout.write(`${line}\n`);
    printed++;
    if (limit !== undefined && printed >= limit) done();
  };
  const warn = (shardId: string, seq: string | undefined, reason: string): void => {
    malformed++;
    process.stderr.write(
      `livewall tail: skipped a malformed record (${shardId}, ${seq ?? '?'}): ${reason}\n`,
    );
  };
  const client = createKinesisClient(settings);
  await untilStreamReadable(client, stream, target, (m) =>
    process.stderr.write(`livewall tail: ${m}\n`),
  );
  const reader = new StreamReader({
    client,
    stream,
    start: start.value,
    target,
    onRecords: (batch) => {
      eachText(
        batch.records,
        (text, r) => {
          if (values.raw) return out(text);
          const line = renderRecord(text, format, config.timeZone);
          if (line.ok) out(line.value);
          else warn(batch.shardId, r.SequenceNumber, line.error);
        },
        (reason, r) => warn(batch.shardId, r.SequenceNumber, reason),
      );
    },
    // Each new problem once on stderr; the reader keeps retrying.
    onStatus: (s) => {
      if (s.state === 'error' && s.message) process.stderr.write(`livewall tail: ${s.message}\n`);
    },
  });
  reader.start();
  await Promise.race([finished, untilSignal()]);
  await reader.stop();
  if (malformed > 0)
    process.stderr.write(`livewall tail: ${malformed} malformed record(s) skipped\n`);
  return 0;
}
