/**
 * The `pipeline` block of the config (the workshop pipeline's stages for health and the screen's
 * strip, the same as health's and web's flags), as a schema. It lives beside health, which reads
 * it; config.ts puts it in the file's schema and walks its keys.
 */
import * as v from 'valibot';
import { fields, type Schema } from '@shared/schemaKit';
import { urlHasPassword } from '../mysql/target';

const optional = <T>(schema: Schema<T>) => v.optional(schema);
const between = (min: number, max: number, message: string): Schema<number> =>
  v.custom<number>((x) => typeof x === 'number' && x >= min && x <= max, message);

const pipelineUrl = (key: string, re: RegExp, example: string): Schema<string> =>
  v.pipe(
    v.custom<string>(
      (x) => typeof x === 'string' && re.test(x),
      `config: "pipeline.${key}" must be a URL such as ${example}`,
    ),
    v.check(
      (url) => !urlHasPassword(url),
      `config: "pipeline.${key}" holds a password; put it in the environment (LIVEWALL_MYSQL_PASSWORD, PGPASSWORD) or the OS keychain, not the config file`,
    ),
  );
/** Kinesis, Firehose and Managed Flink names share this alphabet. */
const awsName = (key: string): Schema<string> =>
  v.custom<string>(
    (x) => typeof x === 'string' && /^[a-zA-Z0-9_.-]{1,128}$/.test(x),
    `config: "pipeline.${key}" must be a name of letters, digits, _ . - (1 to 128)`,
  );

/** A Secrets Manager secret's name or ARN. */
const secretId = (key: string): Schema<string> =>
  v.custom<string>(
    (x) => typeof x === 'string' && /^[A-Za-z0-9/_+=.@:-]{1,2048}$/.test(x),
    `config: "pipeline.${key}" must be a Secrets Manager secret name or ARN`,
  );

/** `pipeline` in livewall.config.json: the workshop pipeline's stages, the same as the flags. */
export const pipelineEntries = {
  mysql: optional(
    pipelineUrl('mysql', /^(mysql|mariadb):\/\//, 'mysql://shop@127.0.0.1:3306/demo'),
  ),
  customers: optional(
    pipelineUrl(
      'customers',
      /^(mysql|mariadb|postgres|postgresql|redshift):\/\//,
      'mysql://reader@127.0.0.1:3306/demo or postgres://reader@host:5439/dev',
    ),
  ),
  /** cdc's own account (it reads the binlog), when it is not --mysql's: its grants are checked. */
  cdcMysql: optional(
    pipelineUrl('cdcMysql', /^(mysql|mariadb):\/\//, 'mysql://maxwell@127.0.0.1:3306/demo'),
  ),
  cdcSecretId: optional(secretId('cdcSecretId')),
  orderStream: optional(awsName('orderStream')),
  metricStream: optional(awsName('metricStream')),
  dwdStream: optional(awsName('dwdStream')),
  flinkApplication: optional(awsName('flinkApplication')),
  firehose: optional(awsName('firehose')),
  warehouse: optional(
    pipelineUrl(
      'warehouse',
      /^(postgres|postgresql|redshift):\/\//,
      'postgres://loader@my-cluster.example:5439/dev',
    ),
  ),
  /** AWS Secrets Manager secrets holding each account's password (names or ARNs, not secrets). */
  mysqlSecretId: optional(secretId('mysqlSecretId')),
  customersSecretId: optional(secretId('customersSecretId')),
  warehouseSecretId: optional(secretId('warehouseSecretId')),
  maxLagSeconds: optional(
    between(1, 86_400, 'config: "pipeline.maxLagSeconds" must be 1 to 86400'),
  ),
};
export const pipelineSchema = fields(pipelineEntries, 'config: "pipeline" must be an object');
export type PipelineSettings = v.InferOutput<typeof pipelineSchema>;
