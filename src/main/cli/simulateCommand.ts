/**
 * `livewall simulate --mysql URL [--orders N] [--rate R] [--lifecycle] [--create-table]
 * [--workshop-mails]`: demo orders into MySQL's `order` table as the workshop's generator makes
 * them, placed by the demo's customer population (or, with --workshop-mails, by the workshop's
 * four addresses). Prints one summary
 * line `{"inserted":N,"updated":M,"failed":F}`; exit 0 only when F is 0, 1 otherwise (or when the
 * database cannot be used), 2 on bad usage.
 */
import { createMySqlConnector } from '../mysql/connect';
import { describeMySqlError } from '../mysql/errors';
import { checkOrderTable } from '../mysql/orderSchema';
import { MySqlOrderSink } from '../mysql/orderSink';
import { runSimulation } from '../mysql/simulation';
import { COMMON_FLAGS, commandConfig, mysqlOption } from './common';
import { parseCommand, type CommandSpec } from './usage';
import { cliPasswordSources } from '../mysql/ttyPassword';

const NAME = 'livewall simulate';

export const SIMULATE = {
  name: 'simulate',
  brief: "write demo orders into MySQL's order table",
  summary:
    'Write demo orders into MySQL\'s order table as the workshop\'s generator makes them; print one summary line {"inserted":N,"updated":M,"failed":F}.',
  flags: {
    mysql: {
      type: 'string',
      value: 'URL',
      help: 'the order database, e.g. mysql://shop@127.0.0.1:3306/demo (required)',
    },
    'mysql-secret': {
      type: 'string',
      value: 'ID',
      help: "an AWS Secrets Manager secret holding the --mysql account's password (AWS_REGION, AWS_PROFILE)",
    },
    orders: {
      type: 'string',
      value: 'N',
      default: '100',
      help: 'how many orders; 0 runs until Ctrl-C',
    },
    rate: {
      type: 'string',
      value: 'R',
      default: '0 (as fast as MySQL takes them)',
      help: 'orders per second',
    },
    lifecycle: {
      type: 'boolean',
      help: 'each order is paid, shipped and finished (or cancelled) later',
    },
    'create-table': { type: 'boolean', help: 'create the order table when it is missing' },
    'step-delay-ms': {
      type: 'string',
      value: 'LO-HI',
      default: '1000-5000',
      help: "the wait between two steps of an order's lifecycle",
    },
    seed: { type: 'string', value: 'N', help: 'a seed, for the same orders every run' },
    'workshop-mails': {
      type: 'boolean',
      help: "the workshop's four buyers (write_db.py) instead of the demo shop's 20 000 customers",
    },
    config: COMMON_FLAGS.config,
  },
  env: [
    ['LIVEWALL_MYSQL_PASSWORD', "the --mysql account's password (else MYSQL_PWD, else a prompt)"],
    ['LIVEWALL_CONFIG', 'the config file when --config is not given'],
  ],
  examples: [
    'livewall simulate --mysql mysql://shop@127.0.0.1:3306/demo --orders 0 --rate 5 --lifecycle',
  ],
  notes: [
    'Exit codes: 0 every write succeeded, 1 a write failed or MySQL cannot be used, 2 bad usage.',
  ],
} as const satisfies CommandSpec;

/** `LO-HI` or `MS` milliseconds; null when malformed. */
export function parseDelayRange(text: string): [number, number] | null {
  const m = /^(\d+)(?:-(\d+))?$/.exec(text.trim());
  if (!m) return null;
  const lo = Number(m[1]);
  const hi = m[2] === undefined ? lo : Number(m[2]);
  return lo <= hi && hi <= 86_400_000 ? [lo, hi] : null;
}

export async function simulate(args: string[]): Promise<number> {
  const { values } = parseCommand(SIMULATE, args);
  const err = (message: string): void => void process.stderr.write(`${NAME}: ${message}\n`);
  commandConfig('simulate', values.config);
  const parsed = mysqlOption(values.mysql, 'shop', err);
  if (!parsed.ok) {
    err(parsed.error);
    return 2;
  }
  const target = parsed.value;
  const orders = Number(values.orders ?? 100);
  const rate = Number(values.rate ?? 0);
  const seed = values.seed === undefined ? undefined : Number(values.seed);
  const stepDelay = parseDelayRange(values['step-delay-ms'] ?? '1000-5000');
  if (!Number.isInteger(orders) || orders < 0 || orders > 10_000_000) {
    err('--orders must be an integer from 0 (until stopped) to 10000000');
    return 2;
  }
  if (!Number.isFinite(rate) || rate < 0 || rate > 100_000) {
    err('--rate must be 0 (as fast as the database takes them) to 100000 orders/s');
    return 2;
  }
  if (orders === 0 && rate === 0) {
    err('--orders 0 runs until stopped and needs a --rate');
    return 2;
  }
  if (!stepDelay) {
    err('--step-delay-ms must be MS or LO-HI milliseconds, e.g. 1000-5000');
    return 2;
  }
  if (seed !== undefined && !Number.isInteger(seed)) {
    err('--seed must be an integer');
    return 2;
  }

  let connector;
  try {
    connector = await createMySqlConnector(target, {
      passwords: cliPasswordSources('mysql', { secretId: values['mysql-secret'] }),
    });
    const conn = await connector.connect();
    try {
      const problem = await checkOrderTable(conn, target.database, values['create-table'] === true);
      if (problem) {
        err(problem);
        return 1;
      }
    } finally {
      await conn.end().catch(() => conn.destroy());
    }
  } catch (e) {
    err(describeMySqlError(e, target));
    return 1;
  }

  const sink = new MySqlOrderSink({ connect: () => connector.connect(), onNotice: err });
  const abort = new AbortController();
  const stop = (): void => abort.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    const summary = await runSimulation({
      sink,
      orders,
      rate,
      lifecycle: values.lifecycle === true,
      stepDelayMs: stepDelay,
      ...(seed !== undefined ? { seed } : {}),
      ...(values['workshop-mails'] ? { customers: 'workshop' as const } : {}),
      signal: abort.signal,
    });
    process.stdout.write(`${JSON.stringify(summary)}\n`);
    if (summary.failed > 0) {
      const last = sink.stats().lastError;
      err(`${summary.failed} writes failed${last ? `; the last because: ${last}` : ''}`);
    }
    return summary.failed === 0 ? 0 : 1;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    await sink.close();
  }
}
