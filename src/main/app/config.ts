/**
 * livewall's settings: defaults, then the config file (`livewall.config.json`), then flags.
 * Secrets never live here: AWS credentials come from the standard chain, passwords and tokens
 * from the environment or the OS keychain.
 */
import { readFileSync } from 'node:fs';
import { isValidTimeZone, machineTimeZone } from '@shared/time';
import { DEFAULT_LANGUAGE, isLanguage, type Language } from '@shared/language';
import { fail, ok, type Result } from '@shared/result';
import { urlHasPassword } from '../mysql/target';

export interface LivewallConfig {
  /** `embedded` runs the whole pipeline in-process; `kinesis` reads metric_ds. */
  source: 'embedded' | 'kinesis';
  stream: string;
  /** Where reading metric_ds starts: today, latest, trim or an ISO time. */
  from: string;
  /** Where AWS calls go; credentials always come from the SDK's default chain. */
  aws: { profile?: string; region?: string; endpoint?: string };
  timeZone: string;
  /** Background demo orders per second in the embedded pipeline. */
  demoRate: number;
  /** Full-screen kiosk for a wall display (Electron). */
  kiosk: boolean;
  /** The screen the app shows on, 1-based in the OS's display order; null: the primary. */
  display: number | null;
  /** Start the app at login (Electron). */
  autostart: boolean;
  staleAfterSeconds: number;
  /** `hostnames`: names browsers use for this PC besides its addresses (DNS rebinding guard). */
  web: { host: string; port: number; hostnames: string[] };
  /** The MySQL that demo bursts may target (its password never lives here). */
  mysql: { url: string; lifecycle: boolean } | null;
  /** The workshop pipeline's stages for health and the screen's strip; each one optional. */
  pipeline: PipelineSettings;
  /** The wall screen's labels: `zh`, `en`, or both (`zh+en`). */
  language: Language;
}

/** `pipeline` in livewall.config.json; the same as health's and web's flags. */
export interface PipelineSettings {
  mysql?: string;
  customers?: string;
  orderStream?: string;
  metricStream?: string;
  dwdStream?: string;
  flinkApplication?: string;
  firehose?: string;
  warehouse?: string;
  maxLagSeconds?: number;
}

const URL_KEYS: Record<string, { re: RegExp; example: string }> = {
  mysql: { re: /^(mysql|mariadb):\/\//, example: 'mysql://shop@127.0.0.1:3306/demo' },
  customers: {
    re: /^(mysql|mariadb|postgres|postgresql|redshift):\/\//,
    example: 'mysql://reader@127.0.0.1:3306/demo or postgres://reader@host:5439/dev',
  },
  warehouse: {
    re: /^(postgres|postgresql|redshift):\/\//,
    example: 'postgres://loader@my-cluster.example:5439/dev',
  },
};
const NAME_KEYS = ['orderStream', 'metricStream', 'dwdStream', 'flinkApplication', 'firehose'];
/** Kinesis, Firehose and Managed Flink names share this alphabet. */
const AWS_NAME = /^[a-zA-Z0-9_.-]{1,128}$/;

/** The `pipeline` block: known keys only, names and URLs checked, no password in a URL. */
export function parsePipelineSettings(v: unknown): Result<PipelineSettings> {
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    return fail('config: "pipeline" must be an object');
  const out: PipelineSettings = {};
  for (const [k, x] of Object.entries(v)) {
    const key = `pipeline.${k}`;
    if (SECRET_KEYS.test(k)) return fail(secretRefusal(key));
    const url = URL_KEYS[k];
    if (url) {
      if (typeof x !== 'string' || !url.re.test(x))
        return fail(`config: "${key}" must be a URL such as ${url.example}`);
      if (urlHasPassword(x))
        return fail(
          `config: "${key}" holds a password; put it in the environment (LIVEWALL_MYSQL_PASSWORD, PGPASSWORD) or the OS keychain, not the config file`,
        );
      out[k as 'mysql' | 'customers' | 'warehouse'] = x;
    } else if (NAME_KEYS.includes(k)) {
      if (typeof x !== 'string' || !AWS_NAME.test(x))
        return fail(`config: "${key}" must be a name of letters, digits, _ . - (1 to 128)`);
      out[k as 'orderStream'] = x;
    } else if (k === 'maxLagSeconds') {
      if (typeof x !== 'number' || !(x >= 1 && x <= 86_400))
        return fail('config: "pipeline.maxLagSeconds" must be 1 to 86400');
      out.maxLagSeconds = x;
    } else {
      return fail(`config: unknown setting "${key}"`);
    }
  }
  return ok(out);
}

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
  language: DEFAULT_LANGUAGE,
};

const SECRET_KEYS = /pass(word)?|secret|token|credential|access.?key/i;

const secretRefusal = (key: string): string =>
  `config: "${key}" looks like a secret; put it in the environment or the OS keychain, not the config file`;

/** The keys each block may hold ('' is the top level); a block not listed holds no keys. */
const KNOWN_KEYS: Readonly<Record<string, readonly string[]>> = {
  '': [
    'source',
    'stream',
    'from',
    'aws',
    'timeZone',
    'demoRate',
    'kiosk',
    'display',
    'autostart',
    'staleAfterSeconds',
    'web',
    'mysql',
    'pipeline',
    'language',
  ],
  aws: ['profile', 'region', 'endpoint'],
  web: ['host', 'port', 'hostnames'],
  mysql: ['url', 'lifecycle'],
  pipeline: [
    'mysql',
    'customers',
    'orderStream',
    'metricStream',
    'dwdStream',
    'flinkApplication',
    'firehose',
    'warehouse',
    'maxLagSeconds',
  ],
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
    if (SECRET_KEYS.test(key)) return secretRefusal(name);
    if (!known.includes(key))
      return `config: unknown setting "${name}"${UNKNOWN_HINTS[path] ?? ''}`;
    const problem = checkConfigKeys(value, name);
    if (problem) return problem;
  }
  return null;
}

/** Merges a partial config object over `base`, refusing unknown keys and secrets. */
export function parseConfig(
  input: unknown,
  base: LivewallConfig = DEFAULT_CONFIG,
): Result<LivewallConfig> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return fail('config: must be a JSON object');
  }
  const keyProblem = checkConfigKeys(input);
  if (keyProblem) return fail(keyProblem);
  const c = { ...base, web: { ...base.web }, aws: { ...base.aws } };
  for (const [key, v] of Object.entries(input)) {
    switch (key) {
      case 'source':
        if (v !== 'embedded' && v !== 'kinesis')
          return fail('config: "source" must be "embedded" or "kinesis"');
        c.source = v;
        break;
      case 'stream':
        if (typeof v !== 'string' || !/^[a-zA-Z0-9_.-]{1,128}$/.test(v)) {
          return fail('config: "stream" must be a Kinesis stream name');
        }
        c.stream = v;
        break;
      case 'from':
        if (typeof v !== 'string' || v === '')
          return fail('config: "from" must be today, latest, trim or an ISO time');
        c.from = v;
        break;
      case 'aws': {
        if (typeof v !== 'object' || v === null || Array.isArray(v))
          return fail('config: "aws" must be an object');
        for (const [k, x] of Object.entries(v)) {
          if (typeof x !== 'string' || x === '')
            return fail(`config: "aws.${k}" must be a non-empty string`);
          c.aws[k as keyof LivewallConfig['aws']] = x;
        }
        break;
      }
      case 'timeZone':
        if (typeof v !== 'string' || !isValidTimeZone(v))
          return fail(`config: unknown time zone ${JSON.stringify(v)}`);
        c.timeZone = v;
        break;
      case 'demoRate':
        if (typeof v !== 'number' || !(v >= 0 && v <= 10_000))
          return fail('config: "demoRate" must be 0 to 10000 orders/s');
        c.demoRate = v;
        break;
      case 'kiosk':
        if (typeof v !== 'boolean') return fail('config: "kiosk" must be true or false');
        c.kiosk = v;
        break;
      case 'display':
        if (!Number.isInteger(v) || (v as number) < 1)
          return fail('config: "display" must be a screen number: 1, 2, … (1 is the first screen)');
        c.display = v as number;
        break;
      case 'autostart':
        if (typeof v !== 'boolean') return fail('config: "autostart" must be true or false');
        c.autostart = v;
        break;
      case 'staleAfterSeconds':
        if (typeof v !== 'number' || !(v >= 1))
          return fail('config: "staleAfterSeconds" must be at least 1');
        c.staleAfterSeconds = v;
        break;
      case 'mysql': {
        if (typeof v !== 'object' || v === null || Array.isArray(v))
          return fail('config: "mysql" must be an object');
        const m = v as Record<string, unknown>;
        if (typeof m.url !== 'string' || !/^(mysql|mariadb):\/\//.test(m.url)) {
          return fail('config: "mysql.url" must be a URL such as mysql://shop@127.0.0.1:3306/demo');
        }
        if (urlHasPassword(m.url)) {
          return fail(
            'config: "mysql.url" holds a password; put it in LIVEWALL_MYSQL_PASSWORD or the OS keychain (the app\'s burst panel), not the config file',
          );
        }
        if (m.lifecycle !== undefined && typeof m.lifecycle !== 'boolean')
          return fail('config: "mysql.lifecycle" must be true or false');
        c.mysql = { url: m.url, lifecycle: m.lifecycle !== false };
        break;
      }
      case 'pipeline': {
        const p = parsePipelineSettings(v);
        if (!p.ok) return p;
        c.pipeline = p.value;
        break;
      }
      case 'web': {
        if (typeof v !== 'object' || v === null || Array.isArray(v))
          return fail('config: "web" must be an object');
        const w = v as Record<string, unknown>;
        if (w.host !== undefined) {
          if (typeof w.host !== 'string') return fail('config: "web.host" must be a string');
          c.web.host = w.host;
        }
        if (w.port !== undefined) {
          if (!Number.isInteger(w.port) || (w.port as number) < 0 || (w.port as number) > 65535) {
            return fail('config: "web.port" must be a port number');
          }
          c.web.port = w.port as number;
        }
        if (w.hostnames !== undefined) {
          const names = w.hostnames;
          if (
            !Array.isArray(names) ||
            !names.every((n) => typeof n === 'string' && /^[\w.:[\]-]+$/.test(n))
          ) {
            return fail(
              'config: "web.hostnames" must be a list of host names, e.g. ["wall.local"]',
            );
          }
          c.web.hostnames = [...(names as string[])];
        }
        break;
      }
      case 'language':
        if (!isLanguage(v)) return fail('config: "language" must be "zh", "en" or "zh+en"');
        c.language = v;
        break;
      default: // checkConfigKeys refused it already
        return fail(`config: unknown setting "${key}"`);
    }
  }
  return ok(c);
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
