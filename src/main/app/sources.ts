/**
 * Builds the screen's feed from the settings: the config's `source` picks the embedded pipeline (the
 * default) or the metric_ds consumer. The CLI and the Electron shell both start the screen here.
 */
import { fail, ok, type Result } from '@shared/result';
import { createKinesisClient } from '../kinesis/kinesisClient';
import { describeTarget, kinesisSettings, type AwsSettings } from '../kinesis/settings';
import { MetricConsumer } from './metricConsumer';
import { parseStartPosition } from '../kinesis/startPosition';
import type { LivewallConfig } from './config';
import { EmbeddedPipeline } from './embeddedPipeline';
import { embeddedSelfTest } from './embeddedSelfTest';
import { MetricHub } from './metricHub';
import { embeddedFeed, kinesisFeed, type ScreenFeed } from './screenSource';
import { BurstRouter } from './burstRouter';
import { healthRunner, type HealthPlan } from '../health/runHealth';
import { pipelineCustomers, pipelinePlan } from '../health/plan';
import { createMySqlConnector } from '../mysql/connect';
import { MySqlBurster } from '../mysql/mysqlBurster';
import type { AccountRole, PasswordSource } from '../mysql/password';
import { accountPasswordSources } from '../mysql/secretPassword';
import { parseMySqlUrl } from '../mysql/target';

export interface RunningFeed {
  feed: ScreenFeed;
  /** One line for a log: what is shown and from where (never a secret). */
  description: string;
  start(): void;
  stop(): Promise<void>;
}

export interface FeedOptions {
  /** Flags that win over the config's AWS settings. */
  aws?: AwsSettings;
  /** Where the embedded pipeline keeps its state between runs (the app's data folder). */
  stateFile?: string;
  /** Where a MySQL password may come from besides the environment (the app's keychain). */
  passwords?: () => PasswordSource[];
}

/** The configured MySQL as a burst target, or null when none is configured. */
function mysqlBurster(
  config: LivewallConfig,
  passwords: () => PasswordSource[],
): Result<MySqlBurster | null> {
  if (!config.mysql) return ok(null);
  const target = parseMySqlUrl(config.mysql.url);
  if (!target.ok) return fail(`config: mysql.url: ${target.error}`);
  return ok(
    new MySqlBurster({
      target: target.value,
      lifecycle: config.mysql.lifecycle,
      passwords,
    }),
  );
}

export function createFeed(config: LivewallConfig, options: FeedOptions = {}): Result<RunningFeed> {
  const staleAfterMs = config.staleAfterSeconds * 1000;
  const aws = options.aws ?? {};
  const awsSettings = kinesisSettings(aws, process.env, config.aws);
  // The order database: its variable, its secret, MYSQL_PWD, then the app's keychain.
  const passwords = (role: AccountRole = 'mysql'): PasswordSource[] => [
    ...accountPasswordSources(role, {
      secretId: config.pipeline[`${role}SecretId`],
      aws: awsSettings,
    }),
    ...(role === 'mysql' ? (options.passwords?.() ?? []) : []),
  ];
  const mysql = mysqlBurster(config, () => passwords('mysql'));
  if (!mysql.ok) return mysql;
  const mysqlUrl = config.pipeline.mysql ?? config.mysql?.url;
  const mysqlTarget = mysqlUrl ? parseMySqlUrl(mysqlUrl) : null;
  const cdcTarget = config.pipeline.cdcMysql ? parseMySqlUrl(config.pipeline.cdcMysql) : null;
  const pipeline = pipelinePlan(
    { ...config.pipeline, ...(mysqlUrl ? { mysql: mysqlUrl } : {}) },
    { kinesis: awsSettings, passwords },
  );
  if (!pipeline.ok) return fail(`pipeline: ${pipeline.error}`);
  const customers = pipelineCustomers(config.pipeline.customers, passwords);
  /** The stages this screen depends on, probed on demand (the app's health panel, /api/health). */
  const plan = (kinesis?: HealthPlan['kinesis']): HealthPlan => ({
    ...(config.source === 'embedded' ? { embedded: () => embeddedSelfTest(config.timeZone) } : {}),
    // The screen's stream has its own stage when the pipeline names it.
    ...(kinesis && !Object.values(config.pipeline).includes(config.stream) ? { kinesis } : {}),
    ...(pipeline.value ? { pipeline: pipeline.value } : {}),
    ...(customers ? { customers } : {}),
    ...(mysqlTarget?.ok
      ? {
          mysql: {
            target: mysqlTarget.value,
            connector: () =>
              createMySqlConnector(mysqlTarget.value, { passwords: passwords('mysql') }),
            ...(cdcTarget?.ok
              ? {
                  cdc: {
                    target: cdcTarget.value,
                    connector: () =>
                      createMySqlConnector(cdcTarget.value, {
                        passwords: passwords('cdc'),
                        selectDatabase: false,
                      }),
                  },
                }
              : {}),
          },
        }
      : {}),
  });
  if (config.source === 'embedded') {
    const pipeline = new EmbeddedPipeline({
      timeZone: config.timeZone,
      demoRate: config.demoRate,
      staleAfterMs,
      ...(options.stateFile ? { stateFile: options.stateFile } : {}),
    });
    return ok({
      feed: embeddedFeed(
        pipeline,
        new BurstRouter(pipeline, mysql.value),
        healthRunner(() => plan()),
        config.language,
      ),
      description: `embedded pipeline, ${config.demoRate} demo orders/s`,
      start: () => pipeline.start(),
      stop: () => pipeline.stop(),
    });
  }
  const start = parseStartPosition(config.from, { timeZone: config.timeZone });
  if (!start.ok) return fail(start.error);
  const settings = kinesisSettings(aws, process.env, config.aws);
  const target = describeTarget(settings);
  const hub = new MetricHub('kinesis', { staleAfterMs });
  const client = createKinesisClient(settings);
  const consumer = new MetricConsumer({
    client,
    stream: config.stream,
    start: start.value,
    target,
    timeZone: config.timeZone,
    hub,
  });
  return ok({
    feed: kinesisFeed(
      consumer,
      hub,
      new BurstRouter(null, mysql.value),
      healthRunner(() => plan({ client, target, streams: [config.stream] })),
      config.language,
    ),
    description: `Kinesis stream ${config.stream} from ${config.from} (${target})`,
    start: () => consumer.start(),
    stop: () => consumer.stop(),
  });
}
