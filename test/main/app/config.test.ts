import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { DEFAULT_CONFIG, loadConfig, parseConfig } from '../../../src/main/app/config';

describe('config', () => {
  test('settings merge over the defaults', () => {
    const r = parseConfig({
      timeZone: 'Asia/Shanghai',
      demoRate: 0,
      kiosk: true,
      web: { port: 8080 },
    });
    expect(r).toEqual({
      ok: true,
      value: {
        ...DEFAULT_CONFIG,
        timeZone: 'Asia/Shanghai',
        demoRate: 0,
        kiosk: true,
        web: { host: '127.0.0.1', port: 8080, hostnames: [] },
      },
    });
  });

  test('web.hostnames: the names browsers use for this PC', () => {
    const r = parseConfig({ web: { host: '0.0.0.0', hostnames: ['wall.local', 'WALL-2'] } });
    expect(r).toMatchObject({
      ok: true,
      value: { web: { host: '0.0.0.0', port: 3008, hostnames: ['wall.local', 'WALL-2'] } },
    });
  });

  test.each(['zh', 'en', 'zh+en'] as const)('language %s', (language) => {
    expect(DEFAULT_CONFIG.language).toBe('zh+en');
    const r = parseConfig({ language });
    expect(r.ok && r.value.language).toBe(language);
  });

  test.each([
    [
      { mysql: { url: 'mysql://a@b/c', password: 'x' } },
      'config: "mysql.password" looks like a secret; put it in the environment or the OS keychain, not the config file',
    ],
    [
      { aws: { secretAccessKey: 'x' } },
      'config: "aws.secretAccessKey" looks like a secret; put it in the environment or the OS keychain, not the config file',
    ],
    [
      { mysql: { url: 'mysql://a:pw@b/c' } },
      'config: "mysql.url" holds a password; put it in LIVEWALL_MYSQL_PASSWORD or the OS keychain (the app\'s burst panel), not the config file',
    ],
    [
      { password: 'x' },
      'config: "password" looks like a secret; put it in the environment or the OS keychain, not the config file',
    ],
    [
      { awsSecretAccessKey: 'x' },
      'config: "awsSecretAccessKey" looks like a secret; put it in the environment or the OS keychain, not the config file',
    ],
    [
      { web: { token: 'abc' } },
      'config: "web.token" looks like a secret; put it in the environment or the OS keychain, not the config file',
    ],
    [
      { web: { port: 8080, apiPassword: 'abc' } },
      'config: "web.apiPassword" looks like a secret; put it in the environment or the OS keychain, not the config file',
    ],
    [{ web: { colour: 'red' } }, 'config: unknown setting "web.colour"'],
    [
      { web: { hostnames: [{ secret: 'x' }] } },
      'config: "web.hostnames.secret" looks like a secret; put it in the environment or the OS keychain, not the config file',
    ],
    [
      { stream: { accessKeyId: 'x' } },
      'config: "stream.accessKeyId" looks like a secret; put it in the environment or the OS keychain, not the config file',
    ],
    [
      { aws: { region: 'x', extra: { token: 'y' } } },
      'config: unknown setting "aws.extra" (credentials belong in the AWS profile, not here)',
    ],
    [{ web: [] }, 'config: "web" must be an object'],
    [
      { mysql: { url: 'mysql://a:p/w@d@b/c' } },
      'config: "mysql.url" holds a password; put it in LIVEWALL_MYSQL_PASSWORD or the OS keychain (the app\'s burst panel), not the config file',
    ],
    [{ mysql: { url: 'mysql://a@b/c', tls: true } }, 'config: unknown setting "mysql.tls"'],
    [{ timeZone: 'Nowhere/City' }, 'config: unknown time zone "Nowhere/City"'],
    [{ colour: 'red' }, 'config: unknown setting "colour"'],
    [{ web: { port: 70000 } }, 'config: "web.port" must be a port number'],
    [
      { web: { hostnames: 'wall.local' } },
      'config: "web.hostnames" must be a list of host names, e.g. ["wall.local"]',
    ],
    [
      { web: { hostnames: ['http://wall.local/'] } },
      'config: "web.hostnames" must be a list of host names, e.g. ["wall.local"]',
    ],
    [{ language: 'fr' }, 'config: "language" must be "zh", "en" or "zh+en"'],
    [{ language: 'ZH' }, 'config: "language" must be "zh", "en" or "zh+en"'],
    [[], 'config: must be a JSON object'],
  ])('refuses %j', (input, error) => {
    expect(parseConfig(input)).toEqual({ ok: false, error });
  });

  test('web.hostnames is a list of names', () => {
    const r = parseConfig({ web: { hostnames: ['wall.local', 'wall-pc'] } });
    expect(r.ok && r.value.web).toEqual({
      host: '127.0.0.1',
      port: 3008,
      hostnames: ['wall.local', 'wall-pc'],
    });
  });

  test('files: the default may be missing, a named one may not, bad JSON is said plainly', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lwcfg-'));
    expect(loadConfig(undefined).ok).toBe(true);
    expect(loadConfig(join(dir, 'nope.json'))).toEqual({
      ok: false,
      error: `config: cannot read ${join(dir, 'nope.json')}: no such file`,
    });
    writeFileSync(join(dir, 'bad.json'), '{');
    expect(loadConfig(join(dir, 'bad.json'))).toEqual({
      ok: false,
      error: `config: ${join(dir, 'bad.json')} is not valid JSON`,
    });
    writeFileSync(join(dir, 'ok.json'), '{"demoRate": 5}');
    expect(loadConfig(join(dir, 'ok.json'))).toMatchObject({ ok: true, value: { demoRate: 5 } });
  });
});
