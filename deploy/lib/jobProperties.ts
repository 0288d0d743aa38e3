/**
 * The runtime property group `livewall` of the Flink application: every option of the job
 * (flink/src/main/java/livewall/flink/JobOptions.java, NAMES) is either set here or named as one
 * the deployment leaves alone, and test/deploy/jobProperties.test.ts keeps the two lists equal, so
 * a new job option cannot be forgotten and a key the job would reject cannot be set.
 */

/** Options a deployed job never gets, and why. */
export const NOT_DEPLOYED: Readonly<Record<string, string>> = {
  'customers-password': 'the password comes from Secrets Manager (customers-secret-arn)',
  endpoint: 'local Kinesis endpoints only',
  profile: 'the application runs with its service role',
  'state-dir': 'the service keeps checkpoints and snapshots',
  'checkpoint-interval': 'the service configures checkpoints',
  parallelism: 'the application configuration sets it',
  restore: 'the service restores from its snapshots',
  'stop-on-stdin': 'local runs only',
};

export interface JobPropertyValues {
  orderStream: string;
  metricStream: string;
  dwdStream: string;
  region: string;
  timeZone: string;
  /** The MySQL database whose events the job folds. */
  database: string;
  /** The customers database (`redshift://user@host:5439/dev`) and its secret, if deployed. */
  customers?: { url: string; secretArn: string };
}

/** The property map itself. */
export function jobProperties(v: JobPropertyValues): Record<string, string> {
  return {
    source: v.orderStream,
    metrics: v.metricStream,
    dwd: v.dwdStream,
    region: v.region,
    // First start only: snapshots carry the positions after that.
    from: 'trim',
    'time-zone': v.timeZone,
    'db-time-zone': v.timeZone,
    'retention-days': '2',
    'emit-interval': '500',
    table: 'order',
    database: v.database,
    // A row dated more than a day ahead of the clock is skipped and counted (issue 24).
    'max-future-hours': '24',
    ...(v.customers
      ? { customers: v.customers.url, 'customers-secret-arn': v.customers.secretArn }
      : {}),
  };
}

/** Every key `jobProperties` may set, customers included. */
export const DEPLOYED_KEYS: readonly string[] = Object.keys(
  jobProperties({
    orderStream: 'o',
    metricStream: 'm',
    dwdStream: 'd',
    region: 'r',
    timeZone: 'UTC',
    database: 'demo',
    customers: { url: 'u', secretArn: 's' },
  }),
);
