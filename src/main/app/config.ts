/**
 * livewall's settings: defaults, then the config file (`livewall.config.json`), then flags.
 * Secrets never live here: AWS credentials come from the standard chain, passwords and tokens
 * from the environment or the OS keychain.
 */
import { readFileSync } from 'node:fs';
import { isValidTimeZone, machineTimeZone } from '@shared/time';
import { DEFAULT_LANGUAGE, isLanguage, type Language } from '@shared/language';
import { fail, ok, type Result } from '@shared/result';

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
  staleAfterSeconds: number;
  web: { host: string; port: number };
  /** The MySQL that demo bursts may target (its password never lives here). */
  mysql: { url: string; lifecycle: boolean } | null;
  /** The wall screen's labels: `zh`, `en`, or both (`zh+en`). */
  language: Language;
}

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
  language: DEFAULT_LANGUAGE,
};

const SECRET_KEYS = /pass(word)?|secret|token|credential|access.?key/i;

const secretRefusal = (key: string): string =>
  `config: "${key}" looks like a secret; put it in the environment or the OS keychain, not the config file`;

/** Merges a partial config object over `base`, refusing unknown keys and secrets. */
export function parseConfig(
  input: unknown,
  base: LivewallConfig = DEFAULT_CONFIG,
): Result<LivewallConfig> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return fail('config: must be a JSON object');
  }
  const c = { ...base, web: { ...base.web }, aws: { ...base.aws } };
  for (const [key, v] of Object.entries(input)) {
    if (SECRET_KEYS.test(key)) return fail(secretRefusal(key));
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
          if (SECRET_KEYS.test(k)) return fail(secretRefusal(`aws.${k}`));
          if (k !== 'profile' && k !== 'region' && k !== 'endpoint') {
            return fail(
              `config: unknown setting "aws.${k}" (credentials belong in the AWS profile, not here)`,
            );
          }
          if (typeof x !== 'string' || x === '')
            return fail(`config: "aws.${k}" must be a non-empty string`);
          c.aws[k] = x;
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
      case 'staleAfterSeconds':
        if (typeof v !== 'number' || !(v >= 1))
          return fail('config: "staleAfterSeconds" must be at least 1');
        c.staleAfterSeconds = v;
        break;
      case 'mysql': {
        if (typeof v !== 'object' || v === null || Array.isArray(v))
          return fail('config: "mysql" must be an object');
        const m = v as Record<string, unknown>;
        for (const k of Object.keys(m)) {
          if (SECRET_KEYS.test(k)) return fail(secretRefusal(`mysql.${k}`));
          if (k !== 'url' && k !== 'lifecycle') return fail(`config: unknown setting "mysql.${k}"`);
        }
        if (typeof m.url !== 'string' || !/^(mysql|mariadb):\/\//.test(m.url)) {
          return fail('config: "mysql.url" must be a URL such as mysql://shop@127.0.0.1:3306/demo');
        }
        if (/^[a-z]+:\/\/[^/@]*:[^/@]*@/i.test(m.url)) {
          return fail(
            'config: "mysql.url" holds a password; put it in LIVEWALL_MYSQL_PASSWORD or the OS keychain (the app\'s burst panel), not the config file',
          );
        }
        if (m.lifecycle !== undefined && typeof m.lifecycle !== 'boolean')
          return fail('config: "mysql.lifecycle" must be true or false');
        c.mysql = { url: m.url, lifecycle: m.lifecycle !== false };
        break;
      }
      case 'web': {
        if (typeof v !== 'object' || v === null) return fail('config: "web" must be an object');
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
        break;
      }
      case 'language':
        if (!isLanguage(v)) return fail('config: "language" must be "zh", "en" or "zh+en"');
        c.language = v;
        break;
      default:
        return fail(`config: unknown setting "${key}"`);
    }
  }
  return ok(c);
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
