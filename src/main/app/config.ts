/**
 * livewall's settings: defaults, then the config file (`livewall.config.json`), then flags.
 * Secrets never live here: AWS credentials come from the standard chain, passwords and tokens
 * from the environment or the OS keychain.
 */
import { readFileSync } from 'node:fs';
import * as v from 'valibot';
import { fail, ok, type Result } from '@shared/result';
import { fields, firstIssue, isObj, type Schema } from '@shared/schemaKit';
import { isValidTimeZone, machineTimeZone } from '@shared/time';
import { DEFAULT_LANGUAGE, LANGUAGES } from '@shared/language';
import { urlHasPassword } from '../mysql/target';
import { pipelineEntries, pipelineSchema, type PipelineSettings } from '../health/pipelineSettings';

export type { PipelineSettings };

const optional = <T>(schema: Schema<T>) => v.optional(schema);

const text = (message: string): Schema<string> =>
  v.custom<string>((x) => typeof x === 'string' && x !== '', message);
const awsText = (key: string): Schema<string> =>
  text(`config: "aws.${key}" must be a non-empty string`);
const between = (min: number, max: number, message: string): Schema<number> =>
  v.custom<number>((x) => typeof x === 'number' && x >= min && x <= max, message);
const wholeFrom = (min: number, max: number, message: string): Schema<number> =>
  v.custom<number>(
    (x) => Number.isInteger(x) && typeof x === 'number' && x >= min && x <= max,
    message,
  );
const yesNo = (key: string): Schema<boolean> => v.boolean(`config: "${key}" must be true or false`);

/** Where AWS calls go; credentials always come from the SDK's default chain. */
const awsEntries = {
  profile: optional(awsText('profile')),
  region: optional(awsText('region')),
  endpoint: optional(awsText('endpoint')),
};

const webEntries = {
  host: optional(v.string('config: "web.host" must be a string')),
  port: optional(wholeFrom(0, 65535, 'config: "web.port" must be a port number')),
  /** Names browsers use for this PC besides its addresses (DNS rebinding guard). */
  hostnames: optional(
    v.custom<string[]>(
      (x) => Array.isArray(x) && x.every((n) => typeof n === 'string' && /^[\w.:[\]-]+$/.test(n)),
      'config: "web.hostnames" must be a list of host names, e.g. ["wall.local"]',
    ),
  ),
};

const mysqlUrlMessage =
  'config: "mysql.url" must be a URL such as mysql://shop@127.0.0.1:3306/demo';
const mysqlEntries = {
  url: v.pipe(
    v.custom<string>(
      (x) => typeof x === 'string' && /^(mysql|mariadb):\/\//.test(x),
      mysqlUrlMessage,
    ),
    v.check(
      (url) => !urlHasPassword(url),
      'config: "mysql.url" holds a password; put it in LIVEWALL_MYSQL_PASSWORD or the OS keychain (the app\'s burst panel), not the config file',
    ),
  ),
  lifecycle: optional(yesNo('mysql.lifecycle')),
};

/** The `pipeline` block (the file's, or the flags merged over it): known keys only, values checked. */
export function parsePipelineSettings(input: unknown): Result<PipelineSettings> {
  if (!isObj(input)) return fail('config: "pipeline" must be an object');
  const keyProblem = checkConfigKeys(input, 'pipeline');
  if (keyProblem) return fail(keyProblem);
  return firstIssue(pipelineSchema, input);
}

/** What the engines (`livewall engine`, `livewall flink`) fold; flags override these. */
const engineEntries = {
  /** The MySQL database whose `order` events are folded; other databases' are skipped and counted. */
  database: optional(
    v.custom<string>(
      (x) => typeof x === 'string' && /^[A-Za-z0-9_$]{1,64}$/.test(x),
      'config: "engine.database" must be a MySQL database name',
    ),
  ),
  /** How far ahead of the clock a `create_time` or `ts` may be before the row is skipped. */
  maxFutureHours: optional(
    between(0, 24 * 366, 'config: "engine.maxFutureHours" must be 0 to 8784 hours'),
  ),
};

const fileEntries = {
  /** `embedded` runs the whole pipeline in-process; `kinesis` reads metric_ds. */
  source: optional(
    v.picklist(['embedded', 'kinesis'], 'config: "source" must be "embedded" or "kinesis"'),
  ),
  stream: optional(
    v.custom<string>(
      (x) => typeof x === 'string' && /^[a-zA-Z0-9_.-]{1,128}$/.test(x),
      'config: "stream" must be a Kinesis stream name',
    ),
  ),
  /** Where reading metric_ds starts: today, latest, trim or an ISO time. */
  from: optional(text('config: "from" must be today, latest, trim or an ISO time')),
  aws: optional(fields(awsEntries, 'config: "aws" must be an object')),
  timeZone: optional(
    v.custom<string>(
      (x) => typeof x === 'string' && isValidTimeZone(x),
      (issue) => `config: unknown time zone ${JSON.stringify(issue.input)}`,
    ),
  ),
  /** Background demo orders per second in the embedded pipeline. */
  demoRate: optional(between(0, 10_000, 'config: "demoRate" must be 0 to 10000 orders/s')),
  /** Full-screen kiosk for a wall display (Electron). */
  kiosk: optional(yesNo('kiosk')),
  /** The screen the app shows on, 1-based in the OS's display order; null: the primary. */
  display: optional(
    wholeFrom(
      1,
      Number.MAX_SAFE_INTEGER,
      'config: "display" must be a screen number: 1, 2, … (1 is the first screen)',
    ),
  ),
  /** Start the app at login (Electron). */
  autostart: optional(yesNo('autostart')),
  staleAfterSeconds: optional(
    between(1, Infinity, 'config: "staleAfterSeconds" must be at least 1'),
  ),
  web: optional(fields(webEntries, 'config: "web" must be an object')),
  /** The MySQL that demo bursts may target (its password never lives here). */
  mysql: optional(fields(mysqlEntries, 'config: "mysql" must be an object')),
  /** The workshop pipeline's stages for health and the screen's strip; each one optional. */
  pipeline: optional(pipelineSchema),
  /** What the engines fold (`engine` and `flink`). */
  engine: optional(fields(engineEntries, 'config: "engine" must be an object')),
  /** The wall screen's labels: `zh`, `en`, or both (`zh+en`). */
  language: optional(v.picklist(LANGUAGES, 'config: "language" must be "zh", "en" or "zh+en"')),
};

/** The config file's schema: every key optional (the defaults fill the rest). */
const configFile = fields(fileEntries, 'config: must be a JSON object');
type ConfigFile = v.InferOutput<typeof configFile>;

/** livewall's settings once the defaults are filled in. */
export type LivewallConfig = Required<
  Omit<ConfigFile, 'aws' | 'web' | 'mysql' | 'display' | 'pipeline' | 'engine'>
> & {
  engine: Required<NonNullable<ConfigFile['engine']>>;
  aws: NonNullable<ConfigFile['aws']>;
  display: number | null;
  web: Required<NonNullable<ConfigFile['web']>>;
  mysql: { url: string; lifecycle: boolean } | null;
  pipeline: PipelineSettings;
};

export const DEFAULT_CONFIG: LivewallConfig = {
  source: 'embedded',
  stream: 'metric_ds',
  from: 'today',
  aws: {},
  timeZone: machineTimeZone(),
  demoRate: 2,
  kiosk: false,
  display: null,
  autostart: false,
  staleAfterSeconds: 60,
  web: { host: '127.0.0.1', port: 3008, hostnames: [] },
  mysql: null,
  pipeline: {},
  engine: { database: 'demo', maxFutureHours: 24 },
  language: DEFAULT_LANGUAGE,
};

const SECRET_KEYS = /pass(word)?|secret|token|credential|access.?key/i;

/** Names of a Secrets Manager secret (`pipeline.mysqlSecretId`): where a password is, not it. */
const SECRET_REFERENCE = /SecretId$/;

const secretRefusal = (key: string): string =>
  `config: "${key}" looks like a secret; put it in the environment or the OS keychain, not the config file`;

/** The keys each block may hold ('' is the top level), read from the schemas themselves. */
const KNOWN_KEYS: Readonly<Record<string, readonly string[]>> = {
  '': Object.keys(fileEntries),
  aws: Object.keys(awsEntries),
  web: Object.keys(webEntries),
  mysql: Object.keys(mysqlEntries),
  engine: Object.keys(engineEntries),
  pipeline: Object.keys(pipelineEntries),
};

/** What to add to an unknown key's sentence, per block. */
const UNKNOWN_HINTS: Readonly<Record<string, string>> = {
  aws: ' (credentials belong in the AWS profile, not here)',
};

/**
 * Walks every object in the input, however deep (arrays too), refusing a secret-looking key or a
 * key its block does not know, by its dotted name (`web.token`). One walk for every block, so a
 * new block cannot forget the checks.
 */
export function checkConfigKeys(input: unknown, path = ''): string | null {
  if (Array.isArray(input)) {
    for (const item of input) {
      const problem = checkConfigKeys(item, path);
      if (problem) return problem;
    }
    return null;
  }
  if (typeof input !== 'object' || input === null) return null;
  const known = KNOWN_KEYS[path] ?? [];
  for (const [key, value] of Object.entries(input)) {
    const name = path ? `${path}.${key}` : key;
    if (SECRET_KEYS.test(key) && !SECRET_REFERENCE.test(key)) return secretRefusal(name);
    if (!known.includes(key))
      return `config: unknown setting "${name}"${UNKNOWN_HINTS[path] ?? ''}`;
    const problem = checkConfigKeys(value, name);
    if (problem) return problem;
  }
  return null;
}

/** Merges a partial config object over `base`: keys walked first, then the values' schemas. */
export function parseConfig(
  input: unknown,
  base: LivewallConfig = DEFAULT_CONFIG,
): Result<LivewallConfig> {
  if (!isObj(input)) return fail('config: must be a JSON object');
  const keyProblem = checkConfigKeys(input);
  if (keyProblem) return fail(keyProblem);
  const r = firstIssue(configFile, input);
  if (!r.ok) return r;
  const { aws, web, mysql, display, pipeline, engine, ...top } = r.value;
  return ok({
    ...base,
    ...top,
    ...(display !== undefined ? { display } : {}),
    aws: { ...base.aws, ...aws },
    web: { ...base.web, ...web },
    mysql: mysql ? { url: mysql.url, lifecycle: mysql.lifecycle !== false } : base.mysql,
    pipeline: pipeline ?? base.pipeline,
    engine: { ...base.engine, ...engine },
  });
}

/** Reads the config file; a missing default file is no error, a missing named one is. */
export function loadConfig(
  path: string | undefined,
  /** A missing file then means the defaults (the working folder's file, the app's data folder). */
  optional = path === undefined,
): Result<LivewallConfig> {
  const file = path ?? 'livewall.config.json';
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
    if (missing && optional) return ok(DEFAULT_CONFIG);
    return fail(
      `config: cannot read ${file}: ${missing ? 'no such file' : (err as Error).message}`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return fail(`config: ${file} is not valid JSON`);
  }
  return parseConfig(json);
}
