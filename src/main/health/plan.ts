/**
 * From settings (the config's `pipeline` block with the flags over it) to a probe plan: clients,
 * connectors and the allowed lag. Shared by `livewall health`, `livewall web` and the app, so the
 * strip and the CLI judge the same stages the same way.
 */
import { fail, ok, type Result } from '@shared/result';
import type { PipelineSettings } from './pipelineSettings';
import { createKinesisClient } from '../kinesis/kinesisClient';
import { describeTarget, type AwsSettings } from '../kinesis/settings';
import { createMySqlConnector } from '../mysql/connect';
import type { AccountRole, PasswordSource } from '../mysql/password';
import { urlWithPassword } from '../mysql/secretPassword';
import { describeMySqlTarget, parseMySqlUrl } from '../mysql/target';
import {
  mysqlCustomerDirectory,
  postgresCustomerDirectory,
  type CustomerDirectory,
} from '../engine/customerDirectory';
import { createAwsClients } from './awsClients';
import type { PipelinePlan } from './pipeline';

export const DEFAULT_MAX_LAG_SECONDS = 60;

/** True when any stage beyond MySQL and the customers is configured. */
export function hasPipelineStages(p: PipelineSettings): boolean {
  return !!(
    p.orderStream ||
    p.metricStream ||
    p.dwdStream ||
    p.flinkApplication ||
    p.firehose ||
    p.warehouse
  );
}

/**
 * The plan for the configured stages, or null when nothing but MySQL and the customers is
 * configured (those keep today's checks; MySQL's freshness joins them once a stream is named).
 * `kinesis`: the effective Kinesis settings (flags over env over file).
 */
export function pipelinePlan(
  p: PipelineSettings,
  deps: {
    kinesis: AwsSettings;
    /** Each account's sources (its own variable, its secret, …). */
    passwords: (role: AccountRole) => PasswordSource[];
    timeoutMs?: number;
  },
): Result<PipelinePlan | null> {
  if (!hasPipelineStages(p)) return ok(null);
  const plan: PipelinePlan = {
    maxLagMs: (p.maxLagSeconds ?? DEFAULT_MAX_LAG_SECONDS) * 1000,
    ...(deps.timeoutMs ? { timeoutMs: deps.timeoutMs } : {}),
  };
  if (p.mysql) {
    const target = parseMySqlUrl(p.mysql);
    if (!target.ok) return fail(target.error);
    plan.mysql = {
      target: target.value,
      connector: () => createMySqlConnector(target.value, { passwords: deps.passwords('mysql') }),
    };
  }
  if (p.orderStream || p.metricStream || p.dwdStream) {
    plan.kinesis = {
      client: createKinesisClient(deps.kinesis),
      target: describeTarget(deps.kinesis),
    };
    if (p.orderStream) plan.orderStream = p.orderStream;
    if (p.metricStream) plan.metricStream = p.metricStream;
    if (p.dwdStream) plan.dwdStream = p.dwdStream;
  }
  if (p.flinkApplication || p.firehose) {
    // Not --endpoint: that one is Kinesis's (see awsClients.ts).
    const { endpoint: _kinesisOnly, ...aws } = deps.kinesis;
    void _kinesisOnly;
    plan.aws = createAwsClients(aws);
    if (p.flinkApplication) plan.flinkApplication = p.flinkApplication;
    if (p.firehose) plan.firehose = p.firehose;
  }
  if (p.warehouse) {
    plan.warehouse = p.warehouse;
    plan.warehousePasswords = () => deps.passwords('warehouse');
  }
  return ok(plan);
}

/** The customer dimension named by the pipeline, as the health plan's probe (or null). */
export function pipelineCustomers(
  url: string | undefined,
  passwords: (role: AccountRole) => PasswordSource[],
): (() => Promise<CustomerDirectory>) | null {
  if (!url) return null;
  if (/^(mysql|mariadb):/.test(url)) {
    const target = parseMySqlUrl(url);
    if (!target.ok) return null;
    return async () =>
      mysqlCustomerDirectory(
        await createMySqlConnector(target.value, { passwords: passwords('customers') }),
        describeMySqlTarget(target.value),
      );
  }
  return async () =>
    postgresCustomerDirectory(
      await urlWithPassword(url.replace(/^redshift:/, 'postgres:'), passwords('customers')),
    );
}
