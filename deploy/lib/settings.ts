/**
 * The deployment's settings: CDK context keys (`cdk.json`, or `-c key=value` on the command line,
 * or `npm run synth -- -c key=value`), each with the workshop's name or a minimal size as default.
 * docs/deploy-aws.md lists them. Values from `-c` arrive as strings, so each is parsed and checked
 * here once: a typo stops synth with the key's name, never deploys something else.
 */

export type WarehouseKind = 'serverless' | 'provisioned' | 'none';

export interface DeploySettings {
  orderStream: string;
  metricStream: string;
  dwdStream: string;
  /** 0: on-demand streams; N: provisioned with N shards each. */
  shards: number;
  flinkApplication: string;
  /** FLINK-1_19 or FLINK-1_20. */
  flinkRuntime: 'FLINK-1_19' | 'FLINK-1_20';
  parallelism: number;
  parallelismPerKpu: number;
  /** The time zone of the screen's "today" and of the database's datetimes. */
  timeZone: string;
  /** The MySQL database whose `order` events the job folds (others are skipped and counted). */
  database: string;
  /**
   * Place the Flink application and the warehouse in a new VPC, so the job reaches the warehouse
   * privately and Kinesis through an endpoint. Off only without a warehouse.
   */
  vpc: boolean;
  warehouse: WarehouseKind;
  /** Give the warehouse a public endpoint (Firehose reaches Redshift only that way). */
  warehousePublic: boolean;
  /** Firehose's address range in the region: the one range let in to a public warehouse. */
  firehoseCidr: string;
  /** Redshift Serverless base capacity in RPUs (8 is the minimum). */
  baseCapacity: number;
  /** Provisioned cluster's node type. */
  nodeType: string;
  firehose: string;
  /** An RDS MySQL parameter group with the binlog settings `livewall cdc` needs. */
  mysqlParameterGroup: boolean;
  /** The RDS MySQL engine version of that group, e.g. 8.0. */
  mysqlVersion: string;
  /** Where alarms mail to (a subscription to confirm); empty: no subscription. */
  alarmEmail: string;
  /** The Flink job's jar, relative to deploy/. */
  jar: string;
}

export const DEFAULTS: DeploySettings = {
  orderStream: 'order_ds',
  metricStream: 'metric_ds',
  dwdStream: 'dwd_customer_order_ds',
  shards: 1,
  flinkApplication: 'livewall-flink',
  flinkRuntime: 'FLINK-1_19',
  parallelism: 1,
  parallelismPerKpu: 1,
  timeZone: 'Asia/Shanghai',
  database: 'demo',
  vpc: true,
  warehouse: 'serverless',
  warehousePublic: false,
  firehoseCidr: '',
  baseCapacity: 8,
  nodeType: 'ra3.large',
  firehose: 'livewall-dwd-to-redshift',
  mysqlParameterGroup: false,
  mysqlVersion: '8.0',
  alarmEmail: '',
  jar: '../flink/target/livewall-flink.jar',
};

const NAME = /^[a-zA-Z0-9_.-]{1,128}$/;

type Reader = (key: string) => unknown;

function text(get: Reader, key: keyof DeploySettings, re: RegExp, what: string): string {
  const v = get(key) ?? DEFAULTS[key];
  if (typeof v !== 'string' || !re.test(v)) {
    throw new Error(`deploy setting "${key}" must be ${what}, not ${JSON.stringify(v)}`);
  }
  return v;
}

function whole(get: Reader, key: keyof DeploySettings, min: number, max: number): number {
  const raw = get(key) ?? DEFAULTS[key];
  const n = typeof raw === 'string' && /^\d+$/.test(raw.trim()) ? Number(raw) : raw;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) {
    throw new Error(`deploy setting "${key}" must be a whole number from ${min} to ${max}`);
  }
  return n;
}

function yesNo(get: Reader, key: keyof DeploySettings): boolean {
  const v = get(key) ?? DEFAULTS[key];
  if (v === true || v === 'true') return true;
  if (v === false || v === 'false') return false;
  throw new Error(`deploy setting "${key}" must be true or false`);
}

function oneOf<T extends string>(get: Reader, key: keyof DeploySettings, allowed: readonly T[]): T {
  const v = get(key) ?? DEFAULTS[key];
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    throw new Error(`deploy setting "${key}" must be one of ${allowed.join(', ')}`);
  }
  return v as T;
}

/** `1.19`, `1.20` or the service's own spelling. */
function runtime(get: Reader): DeploySettings['flinkRuntime'] {
  const v = String(get('flinkRuntime') ?? DEFAULTS.flinkRuntime);
  const m = /^(?:FLINK-)?1[._](19|20)$/.exec(v);
  if (!m) throw new Error('deploy setting "flinkRuntime" must be 1.19 or 1.20');
  return m[1] === '19' ? 'FLINK-1_19' : 'FLINK-1_20';
}

/** The settings from a context reader (`node.tryGetContext`), defaults filled in, all checked. */
export function readSettings(get: Reader): DeploySettings {
  const s: DeploySettings = {
    orderStream: text(get, 'orderStream', NAME, 'a stream name'),
    metricStream: text(get, 'metricStream', NAME, 'a stream name'),
    dwdStream: text(get, 'dwdStream', NAME, 'a stream name'),
    shards: whole(get, 'shards', 0, 500),
    flinkApplication: text(get, 'flinkApplication', NAME, 'an application name'),
    flinkRuntime: runtime(get),
    parallelism: whole(get, 'parallelism', 1, 64),
    parallelismPerKpu: whole(get, 'parallelismPerKpu', 1, 8),
    timeZone: text(get, 'timeZone', /^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/, 'an IANA time zone'),
    database: text(get, 'database', /^[A-Za-z0-9_$]{1,64}$/, 'a MySQL database name'),
    vpc: yesNo(get, 'vpc'),
    warehouse: oneOf(get, 'warehouse', ['serverless', 'provisioned', 'none'] as const),
    warehousePublic: yesNo(get, 'warehousePublic'),
    firehoseCidr: text(
      get,
      'firehoseCidr',
      /^$|^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/,
      'a CIDR block such as 198.51.100.0/27',
    ),
    baseCapacity: whole(get, 'baseCapacity', 8, 512),
    nodeType: text(get, 'nodeType', /^[a-z0-9]+\.[a-z0-9]+$/, 'a Redshift node type'),
    firehose: text(get, 'firehose', /^[a-zA-Z0-9_.-]{1,64}$/, 'a delivery stream name'),
    mysqlParameterGroup: yesNo(get, 'mysqlParameterGroup'),
    mysqlVersion: text(get, 'mysqlVersion', /^8\.[0-9]$/, 'an RDS MySQL major version such as 8.0'),
    alarmEmail: text(get, 'alarmEmail', /^$|^[^@\s]+@[^@\s]+$/, 'a mail address'),
    jar: text(get, 'jar', /^.+\.jar$/, 'a path to the job jar'),
  };
  if (s.warehouse !== 'none' && !s.vpc) {
    throw new Error(
      'deploy setting "vpc" must stay true with a warehouse: outside a VPC neither the Flink job nor Firehose reaches a private warehouse (or set warehouse=none)',
    );
  }
  if (s.warehousePublic && !s.firehoseCidr) {
    throw new Error(
      'deploy setting "warehousePublic" needs "firehoseCidr": Firehose\'s address range in your region, the only one let in',
    );
  }
  return s;
}
