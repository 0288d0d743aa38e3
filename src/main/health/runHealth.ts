/**
 * Health probes for every configured stage of the pipeline, each answering with one sentence:
 * what works, or what is broken and what to do. Used by `livewall health` (and fit for a panel).
 */
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import type { HealthCheck } from '@shared/contracts';
import type { HealthWords } from '@shared/healthWords';
import { describeAwsError } from '../kinesis/awsErrors';
import type { CustomerDirectory } from '../engine/customerDirectory';
import { describeMySqlError } from '../mysql/errors';
import { HealthFailure, HealthTimeout } from './healthFailure';
import { runPipeline, type PipelinePlan } from './pipeline';
import {
  customersProbe,
  kinesisStreamProbe,
  mysqlSetupProbe,
  type MySqlSetup,
} from './setupProbes';
import { singleFlight } from './singleFlight';
import { inPipelineOrder } from './stages';

export interface HealthPlan {
  /** The in-process pipeline's self-test (app/embeddedSelfTest.ts): passed in, health knows no app. */
  embedded?: () => Promise<ProbeAnswer>;
  kinesis?: { client: Pick<KinesisClient, 'send'>; target: string; streams: string[] };
  mysql?: MySqlSetup;
  customers?: () => Promise<CustomerDirectory>;
  /** The workshop pipeline's stages and hops: freshness and lag (health/pipeline.ts). */
  pipeline?: PipelinePlan;
  /** The longest one probe may take (default 15 s). */
  timeoutMs?: number;
}

/** A probe's answer: its sentence, and its code and numbers where a screen words it itself. */
export type ProbeAnswer = string | { detail: string; words: HealthWords };

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
    await probe(
      'embedded pipeline',
      plan.embedded,
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
        () => kinesisStreamProbe(client, stream, target),
        (e) => describeAwsError(e, { stream, target }).sentence,
      );
    }
  }
  if (plan.mysql) {
    const mysql = plan.mysql;
    await probe(
      'mysql',
      () => mysqlSetupProbe(mysql),
      (e) => describeMySqlError(e, mysql.target),
    );
  }
  if (plan.customers) {
    const open = plan.customers;
    await probe(
      'customers',
      () => customersProbe(open),
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

/** Runs the plan at most once at a time, and answers repeated asks within `freshMs` from memory. */
export function healthRunner(
  plan: () => HealthPlan,
  freshMs = 10_000,
): () => Promise<HealthCheck[]> {
  return singleFlight(() => runHealth(plan()), freshMs);
}
