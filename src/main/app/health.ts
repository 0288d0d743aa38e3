/**
 * Health probes for every configured stage of the pipeline, each answering with one sentence:
 * what works, or what is broken and what to do. Used by `livewall health` (and fit for a panel).
 */
import { DescribeStreamSummaryCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import type { HealthCheck } from '@shared/contracts';
import type { HealthWords } from '@shared/healthWords';
import { metricIdentity } from '@shared/identity';
import { dayStart } from '@shared/time';
import { describeAwsError } from '../kinesis/awsErrors';
import { binlogPreflight, grantsPreflight } from '../cdc/preflight';
import type { CustomerDirectory } from '../engine/customerDirectory';
import type { MySqlConnector } from '../mysql/connect';
import { describeMySqlError } from '../mysql/errors';
import { checkOrderTable } from '../mysql/orderSchema';
import { describeMySqlTarget, type MySqlTarget } from '../mysql/target';
import { EmbeddedPipeline } from './embeddedPipeline';
import { runPipeline, type PipelinePlan } from './health/pipeline';
import { singleFlight } from './health/singleFlight';
import { inPipelineOrder } from './health/stages';

export type { HealthCheck } from '@shared/contracts';

export interface HealthPlan {
  embedded?: { timeZone: string };
  kinesis?: { client: Pick<KinesisClient, 'send'>; target: string; streams: string[] };
  mysql?: {
    target: MySqlTarget;
    connector: () => Promise<MySqlConnector>;
    /** cdc's own account, when named: its grants are checked with it. */
    cdc?: { target: MySqlTarget; connector: () => Promise<MySqlConnector> };
  };
  customers?: () => Promise<CustomerDirectory>;
  /** The workshop pipeline's stages and hops: freshness and lag (health/pipeline.ts). */
  pipeline?: PipelinePlan;
  /** The longest one probe may take (default 15 s). */
  timeoutMs?: number;
}

/** A probe's answer: its sentence, and its code and numbers where a screen words it itself. */
type ProbeAnswer = string | { detail: string; words: HealthWords };

/** Runs every probe of the plan, one after another, each bounded in time. */
export async function runHealth(plan: HealthPlan): Promise<HealthCheck[]> {
  const out: HealthCheck[] = [];
  const bound = plan.timeoutMs ?? 15_000;
  const probe = async (
    stage: string,
    run: () => Promise<ProbeAnswer>,
    failed: (err: unknown) => string,
  ): Promise<void> => {
    let timer: NodeJS.Timeout | undefined;
    try {
      const answer = await Promise.race([
        run(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () =>
              reject(
                new HealthTimeout(`no answer within ${bound / 1000} s`, {
                  code: 'timeout',
                  seconds: bound / 1000,
                }),
              ),
            bound,
          );
        }),
      ]);
      out.push(
        typeof answer === 'string'
          ? { stage, ok: true, detail: answer }
          : { stage, ok: true, detail: answer.detail, words: answer.words },
      );
    } catch (err) {
      const known = err instanceof HealthTimeout || err instanceof HealthFailure;
      const words = known ? err.words : undefined;
      out.push({
        stage,
        ok: false,
        detail: known ? err.message : failed(err),
        ...(words ? { words } : {}),
      });
    } finally {
      clearTimeout(timer);
    }
  };

  if (plan.embedded) {
    const { timeZone } = plan.embedded;
    await probe(
      'embedded pipeline',
      () => embeddedSelfTest(timeZone),
      (e) => `the in-process pipeline failed: ${(e as Error).message}`,
    );
    // A crash of the self-test has no numbers, but a screen can still say so in its language.
    const last = out[out.length - 1];
    if (last && !last.ok && !last.words) last.words = { code: 'embedded-failed' };
  }
  if (plan.kinesis) {
    const { client, target, streams } = plan.kinesis;
    for (const stream of streams) {
      await probe(
        `kinesis ${stream}`,
        async () => {
          const out = await client.send(new DescribeStreamSummaryCommand({ StreamName: stream }));
          const d = out.StreamDescriptionSummary;
          if (d?.StreamStatus !== 'ACTIVE' && d?.StreamStatus !== 'UPDATING') {
            throw new HealthFailure(
              `Stream "${stream}" is ${d?.StreamStatus ?? 'in an unknown state'}: wait until it is ACTIVE.`,
            );
          }
          return `${d.StreamStatus}, ${d.OpenShardCount ?? '?'} open shard(s), retention ${d.RetentionPeriodHours ?? '?'} h (${target})`;
        },
        (e) => describeAwsError(e, { stream, target }).sentence,
      );
    }
  }
  if (plan.mysql) {
    const { target, connector, cdc } = plan.mysql;
    const where = describeMySqlTarget(target);
    await probe(
      'mysql',
      async () => {
        const conn = await (await connector()).connect();
        let grants: string;
        try {
          const table = await checkOrderTable(conn, target.database, false);
          if (table) throw new HealthFailure(table);
          const binlog = await binlogPreflight(conn);
          if (binlog)
            throw new HealthFailure(
              `${where}: the order table is there, but cdc could not read it: ${binlog}`,
            );
          // Each account is judged for its own job: the writer need not read the binlog.
          const own = cdc ? 'unchecked' : await grantsPreflight(conn, target.database, 'order');
          const lacks = own === null ? null : (/ lacks (.+?), which/.exec(own)?.[1] ?? null);
          grants =
            own === null
              ? `the grants cdc needs are in place for ${where}`
              : `cdc's grants not checked${lacks ? ` (this account lacks ${lacks}: right for a writer)` : ''}; name cdc's own account with --cdc-mysql to check them`;
        } finally {
          await conn.end().catch(() => conn.destroy());
        }
        if (cdc) {
          const cdcWhere = describeMySqlTarget(cdc.target);
          let cdcConn;
          try {
            cdcConn = await (await cdc.connector()).connect();
          } catch (err) {
            throw new HealthFailure(`cdc's account: ${describeMySqlError(err, cdc.target)}`);
          }
          try {
            const refusal = await grantsPreflight(cdcConn, target.database, 'order');
            if (refusal) throw new HealthFailure(`${cdcWhere}: ${refusal}`);
            grants = `the grants cdc needs are in place for ${cdcWhere}`;
          } finally {
            await cdcConn.end().catch(() => cdcConn.destroy());
          }
        }
        return `${where}: the order table is there; binlog ROW/FULL; ${grants}`;
      },
      (e) => describeMySqlError(e, target),
    );
  }
  if (plan.customers) {
    await probe(
      'customers',
      async () => {
        const dir = await plan.customers!();
        try {
          await dir.lookup(['health-check@livewall.invalid']);
          return `${dir.description}: the customer table answers`;
        } finally {
          await dir.close();
        }
      },
      (e) => `the customer table did not answer: ${(e as Error).message.split('\n')[0]}`,
    );
  }
  if (plan.pipeline) {
    for (const c of await runPipeline({ timeoutMs: bound, ...plan.pipeline })) {
      const same = out.findIndex((o) => o.stage === c.stage);
      const before = out[same];
      if (!before) {
        out.push(c);
        continue;
      }
      // MySQL's table check and its freshness are one stage: one line, failing if either fails.
      const tail = c.detail.includes(': ') ? c.detail.slice(c.detail.indexOf(': ') + 2) : c.detail;
      out[same] = {
        stage: c.stage,
        ok: before.ok && c.ok,
        detail: before.ok ? `${before.detail}; ${c.ok ? tail : c.detail}` : before.detail,
        ...(c.ageMs !== undefined ? { ageMs: c.ageMs } : {}),
      };
    }
  }
  return inPipelineOrder(out);
}

/** A probe that ran and found something wrong: its message is the sentence. */
export class HealthFailure extends Error {
  constructor(
    message: string,
    readonly words?: HealthWords,
  ) {
    super(message);
  }
}
class HealthTimeout extends HealthFailure {}

/** Three orders through the in-process pipeline; the screen's state must count all three. */
async function embeddedSelfTest(timeZone: string): Promise<ProbeAnswer> {
  const p = new EmbeddedPipeline({ timeZone, demoRate: 0 });
  p.start();
  try {
    const summary = await p.burst(3);
    p.drain();
    const id = metricIdentity({
      name: 'orders',
      window: '1d',
      start: dayStart(Date.now(), timeZone),
      dims: {},
    });
    const seen = p.hub.state.get(id)?.value ?? 0;
    if (summary.inserted !== 3 || seen !== 3) {
      throw new HealthFailure(
        `the in-process pipeline lost orders: 3 sent, ${seen} on the screen`,
        { code: 'embedded-lost', sent: 3, seen },
      );
    }
    return {
      detail: 'simulator → changelog → engine → screen state folds orders exactly (3 of 3)',
      words: { code: 'embedded-ok', orders: 3 },
    };
  } finally {
    await p.stop();
  }
}

/** Runs the plan at most once at a time, and answers repeated asks within `freshMs` from memory. */
export function healthRunner(
  plan: () => HealthPlan,
  freshMs = 10_000,
): () => Promise<HealthCheck[]> {
  return singleFlight(() => runHealth(plan()), freshMs);
}
