/**
 * livewall's settings: defaults, then the config file (`livewall.config.json`), then flags.
 * Secrets never live here: AWS credentials come from the standard chain, passwords and tokens
 * from the environment or the OS keychain.
 */
import { readFileSync } from 'node:fs';
import * as v from 'valibot';
import { fail, ok, type Result } from '@shared/result';
import { firstIssue, isObj, type Obj, type Schema } from '@shared/schema';
import { isValidTimeZone, machineTimeZone } from '@shared/time';

const SECRET_KEYS = /pass(word)?|secret|token|credential|access.?key/i;

const secretRefusal = (key: string): string =>
  `config: "${key}" looks like a secret; put it in the environment or the OS keychain, not the config file`;

/**
 * One block of settings (the file itself, or a nested object such as `web`): every key, at any
 * depth, is refused when it looks like a secret or is unknown, naming its full path (`web.token`);
 * then each known key is checked by its own schema.
 */
function block<E extends v.ObjectEntries>(
  path: string,
  entries: E,
  unknownHint = '',
): Schema<v.InferOutput<v.ObjectSchema<E, undefined>>> {
  const whole = v.object(entries);
  const name = path === '' ? 'config' : `"${path}"`;
  return v.pipe(
    v.custom<Obj>(
      isObj,
      path === '' ? 'config: must be a JSON object' : `config: ${name} must be an object`,
    ),
    v.rawTransform(({ dataset, addIssue, NEVER }) => {
      for (const key of Object.keys(dataset.value)) {
        const full = path === '' ? key : `${path}.${key}`;
        const refusal = SECRET_KEYS.test(key)
          ? secretRefusal(full)
          : key in entries
            ? null
            : `config: unknown setting "${full}"${unknownHint}`;
        if (refusal) {
          addIssue({ message: refusal });
          return NEVER;
        }
      }
      const r = firstIssue(whole, dataset.value);
      if (!r.ok) {
        addIssue({ message: r.error });
        return NEVER;
      }
      return r.value;
    }),
  );
}

const optional = <T>(schema: Schema<T>) => v.optional(schema);

const mysqlUrlMessage =
  'config: "mysql.url" must be a URL such as mysql://shop@127.0.0.1:3306/demo';

/** The config file: every key optional (defaults fill the rest), nested blocks checked alike. */
const configFile = block('', {
  /** `embedded` runs the whole pipeline in-process; `kinesis` reads metric_ds. */
  source: optional(
    v.picklist(['embedded', 'kinesis'], 'config: "source" must be "embedded" or "kinesis"'),
  ),
  stream: optional(
    v.pipe(
      v.string('config: "stream" must be a Kinesis stream name'),
      v.regex(/^[a-zA-Z0-9_.-]{1,128}$/, 'config: "stream" must be a Kinesis stream name'),
    ),
  ),
  /** Where reading metric_ds starts: today, latest, trim or an ISO time. */
  from: optional(
    v.pipe(
      v.string('config: "from" must be today, latest, trim or an ISO time'),
      v.nonEmpty('config: "from" must be today, latest, trim or an ISO time'),
    ),
  ),
  /** Where AWS calls go; credentials always come from the SDK's default chain. */
  aws: optional(
    block(
      'aws',
      {
        profile: optional(awsText('profile')),
        region: optional(awsText('region')),
        endpoint: optional(awsText('endpoint')),
      },
      ' (credentials belong in the AWS profile, not here)',
    ),
  ),
  timeZone: optional(
    v.custom<string>(
      (x) => typeof x === 'string' && isValidTimeZone(x),
      (issue) => `config: unknown time zone ${JSON.stringify(issue.input)}`,
    ),
  ),
  /** Background demo orders per second in the embedded pipeline. */
  demoRate: optional(
    v.pipe(
      v.number('config: "demoRate" must be 0 to 10000 orders/s'),
      v.minValue(0, 'config: "demoRate" must be 0 to 10000 orders/s'),
      v.maxValue(10_000, 'config: "demoRate" must be 0 to 10000 orders/s'),
    ),
  ),
  /** Full-screen kiosk for a wall display (Electron). */
  kiosk: optional(v.boolean('config: "kiosk" must be true or false')),
  staleAfterSeconds: optional(
    v.pipe(
      v.number('config: "staleAfterSeconds" must be at least 1'),
      v.minValue(1, 'config: "staleAfterSeconds" must be at least 1'),
    ),
  ),
  web: optional(
    block('web', {
      host: optional(v.string('config: "web.host" must be a string')),
      port: optional(
        v.pipe(
          v.number('config: "web.port" must be a port number'),
          v.integer('config: "web.port" must be a port number'),
          v.minValue(0, 'config: "web.port" must be a port number'),
          v.maxValue(65535, 'config: "web.port" must be a port number'),
        ),
      ),
    }),
  ),
  /** The MySQL that demo bursts may target (its password never lives here). */
  mysql: optional(
    v.pipe(
      block('mysql', {
        url: v.pipe(
          v.string(mysqlUrlMessage),
          v.regex(/^(mysql|mariadb):\/\//, mysqlUrlMessage),
          v.check(
            (url) => !/^[a-z]+:\/\/[^/@]*:[^/@]*@/i.test(url),
            'config: "mysql.url" holds a password; put it in LIVEWALL_MYSQL_PASSWORD or the OS keychain (the app\'s burst panel), not the config file',
          ),
        ),
        lifecycle: optional(v.boolean('config: "mysql.lifecycle" must be true or false')),
      }),
      v.transform((m) => ({ url: m.url, lifecycle: m.lifecycle !== false })),
    ),
  ),
});

function awsText(key: string): Schema<string> {
  const message = `config: "aws.${key}" must be a non-empty string`;
  return v.pipe(v.string(message), v.nonEmpty(message));
}

type ConfigFile = v.InferOutput<typeof configFile>;

/** livewall's settings once the defaults are filled in. */
export type LivewallConfig = Required<Omit<ConfigFile, 'aws' | 'web' | 'mysql'>> & {
  aws: NonNullable<ConfigFile['aws']>;
  web: Required<NonNullable<ConfigFile['web']>>;
  mysql: NonNullable<ConfigFile['mysql']> | null;
};

export const DEFAULT_CONFIG: LivewallConfig = {
  source: 'embedded',
  stream: 'metric_ds',
  from: 'today',
  aws: {},
  timeZone: machineTimeZone(),
  demoRate: 2,
  kiosk: false,
  staleAfterSeconds: 60,
  web: { host: '127.0.0.1', port: 3008 },
  mysql: null,
};

/** Merges a partial config object over `base`, refusing unknown keys and secrets at any depth. */
export function parseConfig(
  input: unknown,
  base: LivewallConfig = DEFAULT_CONFIG,
): Result<LivewallConfig> {
  const r = firstIssue(configFile, input);
  if (!r.ok) return r;
  const { aws, web, mysql, ...top } = r.value;
  return ok({
    ...base,
    ...top,
    aws: { ...base.aws, ...aws },
    web: { ...base.web, ...web },
    mysql: mysql ?? base.mysql,
  });
}

/** Reads the config file; a missing default file is no error, a missing named one is. */
export function loadConfig(path: string | undefined): Result<LivewallConfig> {
  const file = path ?? 'livewall.config.json';
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
    if (missing && path === undefined) return ok(DEFAULT_CONFIG);
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
