import { describe, expect, test } from 'vitest';
import {
  describeMySqlTarget,
  parseMySqlUrl,
  redactUrl,
  urlHasPassword,
} from '../../../src/main/mysql/target';
import { awsFlags, customerDirectory } from '../../../src/main/cli/common';
import { describeTarget } from '../../../src/main/kinesis/settings';

describe('MySQL URLs', () => {
  test('a full URL, with the password kept out of every description', () => {
    const t = parseMySqlUrl('mysql://shop:p%40ss@db.example:3307/demo?ssl=true');
    expect(t).toEqual({
      ok: true,
      value: {
        host: 'db.example',
        port: 3307,
        user: 'shop',
        database: 'demo',
        ssl: true,
        password: 'p@ss',
      },
    });
    expect(t.ok && describeMySqlTarget(t.value)).toBe('shop@db.example:3307/demo');
    expect(redactUrl('mysql://shop:p%40ss@db.example:3307/demo')).toBe(
      'mysql://shop:***@db.example:3307/demo',
    );
  });

  test.each([
    [
      'mysql://maxwell:abc#def@127.0.0.1:3306/demo',
      /is not a URL.*must be percent-encoded, e\.g\. # as %23/,
    ],
    ['postgres://a@b/c', /must start with mysql:\/\//],
    ['mysql://127.0.0.1/demo', /name the user/],
    ['mysql://a@127.0.0.1/', /name the database/],
  ])('%s is refused with a sentence that never shows the password', (url, error) => {
    const r = parseMySqlUrl(url);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatch(error);
    expect(!r.ok && r.error).not.toContain('abc#def');
  });

  // Each password holds a character that ends the authority for a strict parser, or is encoded.
  test.each([
    ['sekr@etzz', 'mysql://u:sekr@etzz@db.example/demo', 'mysql://u:***@db.example/demo'],
    ['qqa/bzz@cq', 'mysql://u:qqa/bzz@cq@db.example/demo', 'mysql://u:***@db.example/demo'],
    ['pqx:sqz', 'mysql://u:pqx:sqz@db.example:3307/demo', 'mysql://u:***@db.example:3307/demo'],
    ['abq#cdz', 'mysql://u:abq#cdz@db.example/demo', 'mysql://u:***@db.example/demo'],
    [
      'whq?atz',
      'mysql://u:whq?atz@db.example/demo?ssl=true',
      'mysql://u:***@db.example/demo?ssl=true',
    ],
    ['pqz%40ssq', 'mysql://u:pqz%40ssq@db.example/demo', 'mysql://u:***@db.example/demo'],
    ['密码ü', 'mysql://u:密码ü@db.example/demo', 'mysql://u:***@db.example/demo'],
    ['//xqz//', 'postgres://u://xqz//@db.example/dev', 'postgres://u:***@db.example/dev'],
    ['q:/@#?', 'u:q:/@#?@db.example/demo', 'u:***@db.example/demo'],
  ])(
    'password %s: redactUrl shows no part of it, and no error sentence does',
    (pw, url, redacted) => {
      expect(redactUrl(url)).toBe(redacted);
      expect(urlHasPassword(url)).toBe(true);
      const r = parseMySqlUrl(url);
      const sentence = r.ok ? '' : r.error;
      for (const piece of pieces(pw)) expect(sentence).not.toContain(piece);
      expect(redactUrl(url)).not.toContain(pw);
    },
  );

  test('a URL without a password is left as it is', () => {
    expect(redactUrl('mysql://shop@db.example:3306/demo')).toBe(
      'mysql://shop@db.example:3306/demo',
    );
    expect(urlHasPassword('mysql://shop@db.example:3306/demo')).toBe(false);
  });

  test('a URL that does not parse never appears in the error sentence', () => {
    const r = parseMySqlUrl('mysql://u:a/b/c@db.example/demo');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatch(/^the MySQL URL is not a URL: .*percent-encoded/);
    expect(!r.ok && r.error).not.toContain('db.example');
  });
});

describe('every message that names a URL leaves its password out', () => {
  const PASSWORD = 'zq/x@y#k';
  test('the Kinesis endpoint in reader and health sentences', () => {
    expect(describeTarget({ endpoint: `http://u:${PASSWORD}@kinesis.local:4567` })).toBe(
      'endpoint http://u:***@kinesis.local:4567',
    );
  });

  test('a bad --endpoint', () => {
    expect(() => awsFlags({ endpoint: `ftp://u:${PASSWORD}@x` })).toThrow(
      '--endpoint must be a URL such as http://127.0.0.1:4567, not "ftp://u:***@x"',
    );
  });

  test.each([
    [`postgres://u:${PASSWORD}@127.0.0.1:1/dev`],
    [`redshift://u:${PASSWORD}@127.0.0.1:1/dev`],
    [`mysql://u:${PASSWORD}@127.0.0.1:1/dev`],
    [`sqlserver://u:${PASSWORD}@127.0.0.1:1/dev`],
  ])('--customers %s', async (url) => {
    const warnings: string[] = [];
    const err = (await customerDirectory(url, (m) => warnings.push(m)).catch(
      (e: unknown) => e,
    )) as Error;
    expect(err).toBeInstanceOf(Error);
    for (const text of [err.message, ...warnings]) {
      for (const piece of ['zq', 'x@y', 'k@']) expect(text).not.toContain(piece);
    }
  });
});

/** The password's runs of three or more letters and digits: none of them may be printed. */
function pieces(pw: string): string[] {
  return pw.match(/[\p{L}\p{N}]{3,}/gu) ?? [];
}
