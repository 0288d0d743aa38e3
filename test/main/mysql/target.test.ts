import { describe, expect, test } from 'vitest';
import { describeMySqlTarget, parseMySqlUrl, redactUrl } from '../../../src/main/mysql/target';

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
});
