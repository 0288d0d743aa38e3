/**
 * The pipeline flags `health` and `web` share: each overrides the config's `pipeline` block,
 * and is checked the way the config file is, so a bad flag is a usage error (exit 2).
 */
import { parsePipelineSettings, type PipelineSettings } from '../app/config';
import { numberOption, UsageError } from './common';
import type { Flags } from './usage';

export const PIPELINE_FLAGS = {
  mysql: {
    type: 'string',
    value: 'URL',
    config: 'pipeline.mysql',
    help: 'the order database, e.g. mysql://shop@127.0.0.1:3306/demo',
  },
  'cdc-mysql': {
    type: 'string',
    value: 'URL',
    config: 'pipeline.cdcMysql',
    help: "cdc's account, when not --mysql's, e.g. mysql://maxwell@127.0.0.1:3306/demo: its grants are checked",
  },
  customers: {
    type: 'string',
    value: 'URL',
    config: 'pipeline.customers',
    help: 'the customer dimension (mysql:// or postgres://)',
  },
  'order-stream': {
    type: 'string',
    value: 'NAME',
    config: 'pipeline.orderStream',
    help: 'the change-event stream (order_ds)',
  },
  'metric-stream': {
    type: 'string',
    value: 'NAME',
    config: 'pipeline.metricStream',
    help: 'the metric stream (metric_ds)',
  },
  'dwd-stream': {
    type: 'string',
    value: 'NAME',
    config: 'pipeline.dwdStream',
    help: 'the wide-row stream (dwd_customer_order_ds)',
  },
  'flink-app': {
    type: 'string',
    value: 'NAME',
    config: 'pipeline.flinkApplication',
    help: 'a Managed Service for Apache Flink application',
  },
  firehose: {
    type: 'string',
    value: 'NAME',
    config: 'pipeline.firehose',
    help: 'the Firehose delivery stream',
  },
  warehouse: {
    type: 'string',
    value: 'URL',
    config: 'pipeline.warehouse',
    help: 'the warehouse (postgres:// or redshift://)',
  },
  'mysql-secret': {
    type: 'string',
    value: 'ID',
    config: 'pipeline.mysqlSecretId',
    help: "an AWS Secrets Manager secret holding the --mysql account's password",
  },
  'cdc-secret': {
    type: 'string',
    value: 'ID',
    config: 'pipeline.cdcSecretId',
    help: "a secret holding the --cdc-mysql account's password",
  },
  'customers-secret': {
    type: 'string',
    value: 'ID',
    config: 'pipeline.customersSecretId',
    help: "a secret holding the --customers account's password",
  },
  'warehouse-secret': {
    type: 'string',
    value: 'ID',
    config: 'pipeline.warehouseSecretId',
    help: "a secret holding the --warehouse account's password",
  },
  'max-lag': {
    type: 'string',
    value: 'SECONDS',
    default: '60',
    config: 'pipeline.maxLagSeconds',
    help: 'how old the newest record of a hop may be',
  },
} as const satisfies Flags;

const FLAG_KEYS: Record<string, keyof PipelineSettings> = {
  mysql: 'mysql',
  customers: 'customers',
  'order-stream': 'orderStream',
  'metric-stream': 'metricStream',
  'dwd-stream': 'dwdStream',
  'flink-app': 'flinkApplication',
  firehose: 'firehose',
  warehouse: 'warehouse',
  'mysql-secret': 'mysqlSecretId',
  'cdc-mysql': 'cdcMysql',
  'cdc-secret': 'cdcSecretId',
  'customers-secret': 'customersSecretId',
  'warehouse-secret': 'warehouseSecretId',
};

/** The config's pipeline block with the flags over it. */
export function pipelineSettings(
  values: Record<string, unknown>,
  file: PipelineSettings,
): PipelineSettings {
  const merged: Record<string, unknown> = { ...file };
  for (const [flag, key] of Object.entries(FLAG_KEYS)) {
    const v = values[flag];
    if (typeof v === 'string') merged[key] = v;
  }
  const lag = numberOption(values['max-lag'], 'max-lag', 1, 86_400);
  if (lag !== undefined) merged.maxLagSeconds = lag;
  // A password in a flag's URL works (it is the user's own process list); the file check refuses it.
  const urls: Record<string, unknown> = {};
  for (const k of ['mysql', 'cdcMysql', 'customers', 'warehouse'] as const) {
    if (typeof merged[k] === 'string') {
      urls[k] = merged[k];
      merged[k] = (merged[k] as string).replace(/^([a-z]+:\/\/[^/@:]*):[^/@]*@/i, '$1@');
    }
  }
  const checked = parsePipelineSettings(merged);
  if (!checked.ok) {
    const flag = Object.entries(FLAG_KEYS).find(([, k]) =>
      checked.error.includes(`pipeline.${k}"`),
    );
    throw new UsageError(
      flag ? checked.error.replace(/config: "pipeline\.\w+"/, `--${flag[0]}`) : checked.error,
    );
  }
  return { ...checked.value, ...urls } as PipelineSettings;
}
