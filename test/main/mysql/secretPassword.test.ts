/** Where each account's password comes from, as tables: secrets' two forms, the order of sources. */
import { describe, expect, test } from 'vitest';
import {
  accountPasswordSources,
  passwordInSecret,
  secretPasswordSource,
  urlWithPassword,
} from '../../../src/main/mysql/secretPassword';
import { seesOtherSessions } from '../../../src/main/cdc/preflight';
import type { PasswordSource } from '../../../src/main/mysql/password';

const ACCOUNT = { user: 'u', host: 'h', port: 1 };

describe('a Secrets Manager secret', () => {
  test.each([
    ['{"username":"shop","password":"p@ss"}', 'p@ss'],
    ['  {"password":"x"}\n', 'x'],
    ['plain-password', 'plain-password'],
    ['{not json', '{not json'],
    ['{"username":"shop"}', null],
    ['', null],
  ])('%j holds %j', (text, password) => {
    expect(passwordInSecret(text)).toBe(password);
  });

  test('is read once, and a failure names the secret and the permission, never a value', async () => {
    let calls = 0;
    const ok = secretPasswordSource('db/shop', {}, {
      send: async () => {
        calls++;
        return { SecretString: '{"password":"pw"}' };
      },
    } as never);
    expect(await ok.get(ACCOUNT)).toBe('pw');
    expect(await ok.get(ACCOUNT)).toBe('pw');
    expect(calls).toBe(1);
    const denied = secretPasswordSource('db/shop', {}, {
      send: () => Promise.reject(Object.assign(new Error('x'), { name: 'AccessDeniedException' })),
    } as never);
    await expect(denied.get(ACCOUNT)).rejects.toThrow(
      'cannot read the AWS Secrets Manager secret db/shop (AccessDeniedException): it needs secretsmanager:GetSecretValue on it',
    );
  });
});

describe("an account's sources", () => {
  const names = (s: PasswordSource[]): string[] => s.map((x) => x.name);
  test.each([
    ['mysql', 'LIVEWALL_MYSQL_PASSWORD'],
    ['cdc', 'LIVEWALL_CDC_PASSWORD'],
    ['customers', 'LIVEWALL_CUSTOMERS_PASSWORD'],
    ['warehouse', 'LIVEWALL_WAREHOUSE_PASSWORD'],
  ] as const)('%s: its own variable, its secret, then MYSQL_PWD', (role, own) => {
    expect(names(accountPasswordSources(role, { env: {} }))).toEqual([own, 'MYSQL_PWD']);
    expect(names(accountPasswordSources(role, { env: {}, secretId: 's' }))).toEqual([
      own,
      'the AWS Secrets Manager secret s',
      'MYSQL_PWD',
    ]);
  });

  test('two accounts, two passwords', async () => {
    const env = { LIVEWALL_MYSQL_PASSWORD: 'a', LIVEWALL_CUSTOMERS_PASSWORD: 'b', MYSQL_PWD: 'c' };
    const first = async (s: PasswordSource[]): Promise<string | null> => {
      for (const x of s) {
        const p = await x.get(ACCOUNT);
        if (p !== null) return p;
      }
      return null;
    };
    expect(await first(accountPasswordSources('mysql', { env }))).toBe('a');
    expect(await first(accountPasswordSources('customers', { env }))).toBe('b');
    expect(await first(accountPasswordSources('cdc', { env }))).toBe('c');
  });

  test("PostgreSQL's URL gets the account's password, never MYSQL_PWD (its driver reads PGPASSWORD)", async () => {
    const url = 'postgres://loader@127.0.0.1:5432/dev';
    expect(
      await urlWithPassword(url, accountPasswordSources('warehouse', { env: { MYSQL_PWD: 'x' } })),
    ).toBe(url);
    expect(
      await urlWithPassword(
        url,
        accountPasswordSources('warehouse', { env: { LIVEWALL_WAREHOUSE_PASSWORD: 'p#1' } }),
      ),
    ).toBe('postgres://loader:p%231@127.0.0.1:5432/dev');
  });
});

test.each([
  [["GRANT SELECT, INSERT ON `demo`.* TO 'shop'@'%'"], false],
  [["GRANT USAGE ON *.* TO 'shop'@'%'", "GRANT SELECT ON `demo`.* TO 'shop'@'%'"], false],
  [["GRANT PROCESS, REPLICATION SLAVE ON *.* TO 'mx'@'%'"], true],
  [["GRANT ALL PRIVILEGES ON *.* TO 'root'@'localhost' WITH GRANT OPTION"], true],
  [["GRANT PROCESS ON `demo`.* TO 'x'@'%'"], false],
  [["GRANT `dba` TO 'x'@'%'"], null],
] as const)('%j sees other sessions: %s', (grants, expected) => {
  expect(seesOtherSessions(grants)).toBe(expected);
});
