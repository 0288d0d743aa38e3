/**
 * `livewall streams create [--shards N] [names…]`: the pipeline's streams on the configured
 * endpoint (default: order_ds, metric_ds, dwd_customer_order_ds). Idempotent: a stream that
 * exists is left as it is, so running it twice is safe.
 */
import { createKinesisClient } from '../kinesis/kinesisClient';
import { describeTarget, kinesisSettings } from '../kinesis/settings';
import { createStreams, PIPELINE_STREAMS } from '../kinesis/streamAdmin';
import {
  AWS_ENV,
  awsFlags,
  checkStreamName,
  COMMON_FLAGS,
  commonConfig,
  numberOption,
  UsageError,
} from './common';
import { parseCommand, type CommandSpec } from './usage';

export const STREAMS = {
  name: 'streams',
  brief: "create the pipeline's Kinesis streams",
  summary: `Create the pipeline's Kinesis streams (default ${PIPELINE_STREAMS.join(', ')}) on the configured endpoint; a stream that exists is left as it is.`,
  positionals: 'create [names…]',
  flags: {
    shards: {
      type: 'string',
      value: 'N',
      default: '1',
      help: 'shards of each stream it creates',
    },
    ...COMMON_FLAGS,
  },
  env: AWS_ENV,
  examples: [
    'livewall streams create --endpoint http://127.0.0.1:4567',
    'livewall streams create --shards 2 order_ds',
  ],
  notes: [
    'Exit codes: 0 every stream exists and is ACTIVE, 1 one could not be created, 2 bad usage.',
  ],
} as const satisfies CommandSpec;

export async function streams(args: string[]): Promise<number> {
  const { values, positionals } = parseCommand(STREAMS, args);
  const [action, ...names] = positionals;
  if (action !== 'create') {
    throw new UsageError(
      action
        ? `unknown action "${action}": the one action is create`
        : 'say what to do: livewall streams create',
    );
  }
  const config = commonConfig('streams', values);
  const shards = numberOption(values.shards, 'shards', 1, 500) ?? 1;
  if (!Number.isInteger(shards)) throw new UsageError('--shards must be a whole number');
  const wanted = names.length > 0 ? names : [...PIPELINE_STREAMS];
  for (const name of wanted) checkStreamName(name);
  const settings = kinesisSettings(awsFlags(values), process.env, config.aws);
  const target = describeTarget(settings);
  const lines = await createStreams(createKinesisClient(settings), wanted, { shards, target });
  for (const line of lines) process.stdout.write(`${line} (${target})\n`);
  return 0;
}
