/**
 * Health judges each account for its own job, each with its own password: the README's two-account
 * setup (`shop` writes orders, `maxwell` reads the binlog, `reader` reads customers) passes, with
 * the passwords in LIVEWALL_MYSQL_PASSWORD, LIVEWALL_CDC_PASSWORD, LIVEWALL_CUSTOMERS_PASSWORD or
 * an AWS Secrets Manager secret (moto), and none of them is ever printed.
 */
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createConnection } from 'mysql2/promise';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { mysqlFreshness } from '../../../src/main/health/mysqlProbe';
import { useMariaDB } from '../../support/lifecycle';
import { cliEnv, ROOT, runLivewall } from '../../support/livewall';
import { createDatabase } from '../../support/mariadb';
import { MOTO_CREDENTIALS, useMoto } from '../../support/moto';
import { makeTempDir, type TempDir } from '../../support/processes';
import { ORDER_TABLE_DDL } from '../../../src/main/mysql/orderSchema';

interface Check {
  stage: string;
  ok: boolean;
  detail: string;
}

const db = useMariaDB();
const moto = useMoto();
let temp: TempDir;
const PASSWORDS = { shop: 'shop-pw-1', maxwell: 'mx-pw-2', reader: 'rd-pw-3' };
const url = (user: string): string => `mysql://${user}@127.0.0.1:${db().port}/demo`;

beforeAll(async () => {
  temp = await makeTempDir('lwaccounts-');
  await createDatabase(db().url, 'demo');
  const conn = await createConnection(`${db().url}demo`);
  try {
    await conn.query(ORDER_TABLE_DDL);
    await conn.query(`CREATE TABLE IF NOT EXISTS customer (email varchar(64) PRIMARY KEY,
      level varchar(16), sex varchar(8)) DEFAULT CHARSET=utf8mb4`);
    for (const [user, pw] of Object.entries(PASSWORDS)) {
      await conn.query(`CREATE USER IF NOT EXISTS '${user}'@'%' IDENTIFIED BY '${pw}'`);
    }
    await conn.query("GRANT SELECT, INSERT, UPDATE ON demo.* TO 'shop'@'%'");
    await conn.query("GRANT REPLICATION SLAVE, REPLICATION CLIENT, SELECT ON *.* TO 'maxwell'@'%'");
    await conn.query("GRANT SELECT ON demo.customer TO 'reader'@'%'");
  } finally {
    await conn.end();
  }
  const secrets = new SecretsManagerClient({
    endpoint: moto().endpoint,
    region: 'us-east-1',
    credentials: MOTO_CREDENTIALS,
  });
  await secrets.send(
    new CreateSecretCommand({
      Name: 'livewall/shop',
      SecretString: JSON.stringify({ username: 'shop', password: PASSWORDS.shop }),
    }),
  );
  await secrets.send(
    new CreateSecretCommand({ Name: 'livewall/reader', SecretString: PASSWORDS.reader }),
  );
}, 60_000);

async function health(
  args: string[],
  extraEnv: NodeJS.ProcessEnv,
): Promise<{ code: number | null; checks: Check[]; output: string }> {
  const r = await runLivewall(['health', '--json', ...args], {
    cwd: temp.path,
    env: cliEnv(extraEnv),
  });
  for (const pw of Object.values(PASSWORDS)) expect(r.output).not.toContain(pw);
  const line = r.output.split('\n').find((l) => l.startsWith('['));
  return { code: r.code, checks: line ? (JSON.parse(line) as Check[]) : [], output: r.output };
}

const detail = (checks: Check[], stage: string): string =>
  checks.find((c) => c.stage === stage)?.detail ?? `no ${stage} check`;

/** The two-account example of docs/health.md, its port moved to the private server's. */
function docsExample(): string[] {
  const text = readFileSync(join(ROOT, 'docs', 'health.md'), 'utf8');
  const command = /bin\/livewall health (--mysql mysql:\/\/shop[^`]*?)\n```/s.exec(text)?.[1];
  if (!command) throw new Error('docs/health.md has no two-account health example');
  return command
    .replace(/\\\n/g, ' ')
    .split(/\s+/)
    .filter(Boolean)
    .map((a) => a.replace('127.0.0.1:3306', `127.0.0.1:${db().port}`));
}

describe('health with one account per job', () => {
  test("docs/health.md's two-account example passes, each account with its own variable", async () => {
    const args = docsExample();
    expect(args).toContain('--cdc-mysql');
    const r = await health(args, {
      LIVEWALL_MYSQL_PASSWORD: PASSWORDS.shop,
      LIVEWALL_CDC_PASSWORD: PASSWORDS.maxwell,
      LIVEWALL_CUSTOMERS_PASSWORD: PASSWORDS.reader,
    });
    expect(r.code, r.output).toBe(0);
    expect(r.checks.map((c) => c.stage)).toEqual(['embedded pipeline', 'mysql', 'customers']);
  });

  test("the README's example: maxwell reads the binlog, reader the customers, each its own password", async () => {
    const r = await health(['--mysql', url('maxwell'), '--customers', url('reader')], {
      LIVEWALL_MYSQL_PASSWORD: PASSWORDS.maxwell,
      LIVEWALL_CUSTOMERS_PASSWORD: PASSWORDS.reader,
    });
    expect(r.code, r.output).toBe(0);
    expect(detail(r.checks, 'mysql')).toContain('the grants cdc needs are in place for maxwell@');
    expect(detail(r.checks, 'customers')).toContain('reader@');
  });

  test('the writer passes as a writer: its missing replication grants are not a red stage', async () => {
    const r = await health(['--mysql', url('shop'), '--customers', url('reader')], {
      LIVEWALL_MYSQL_PASSWORD: PASSWORDS.shop,
      LIVEWALL_CUSTOMERS_PASSWORD: PASSWORDS.reader,
    });
    expect(r.code, r.output).toBe(0);
    expect(detail(r.checks, 'mysql')).toMatch(
      /cdc's grants not checked \(this account lacks REPLICATION SLAVE, REPLICATION CLIENT: right for a writer\); name cdc's own account with --cdc-mysql/,
    );
  });

  test("cdc's grants are checked with cdc's own account and password", async () => {
    const good = await health(['--mysql', url('shop'), '--cdc-mysql', url('maxwell')], {
      LIVEWALL_MYSQL_PASSWORD: PASSWORDS.shop,
      LIVEWALL_CDC_PASSWORD: PASSWORDS.maxwell,
    });
    expect(good.code, good.output).toBe(0);
    expect(detail(good.checks, 'mysql')).toContain(
      'the grants cdc needs are in place for maxwell@',
    );
    const bad = await health(['--mysql', url('shop'), '--cdc-mysql', url('reader')], {
      LIVEWALL_MYSQL_PASSWORD: PASSWORDS.shop,
      LIVEWALL_CDC_PASSWORD: PASSWORDS.reader,
    });
    expect(bad.code).toBe(1);
    expect(detail(bad.checks, 'mysql')).toMatch(/reader@.*lacks REPLICATION SLAVE/);
  });

  test('one shared variable no longer has to serve two accounts: a wrong one is named', async () => {
    const r = await health(['--mysql', url('shop'), '--customers', url('reader')], {
      LIVEWALL_MYSQL_PASSWORD: PASSWORDS.shop,
    });
    expect(r.code).toBe(1);
    expect(r.checks.find((c) => c.stage === 'mysql')?.ok).toBe(true);
    expect(r.checks.find((c) => c.stage === 'customers')?.ok).toBe(false);
  });

  test('passwords from AWS Secrets Manager secrets named by flags (JSON or plain text)', async () => {
    const r = await health(
      [
        '--mysql',
        url('shop'),
        '--mysql-secret',
        'livewall/shop',
        '--customers',
        url('reader'),
        '--customers-secret',
        'livewall/reader',
      ],
      { AWS_ENDPOINT_URL_SECRETS_MANAGER: moto().endpoint, ...moto().env() },
    );
    expect(r.code, r.output).toBe(0);
    const missing = await health(['--mysql', url('shop'), '--mysql-secret', 'livewall/nope'], {
      AWS_ENDPOINT_URL_SECRETS_MANAGER: moto().endpoint,
      ...moto().env(),
    });
    expect(missing.code).toBe(1);
    expect(detail(missing.checks, 'mysql')).toContain('livewall/nope does not exist');
  });

  test('the binlog readers are "untold", not "none", for an account that cannot see other sessions', async () => {
    for (const [user, expected] of [
      ['shop', null],
      ['root', 0],
    ] as const) {
      const conn = await createConnection({
        host: '127.0.0.1',
        port: db().port,
        user,
        password: user === 'root' ? '' : PASSWORDS.shop,
        database: 'demo',
      });
      try {
        expect((await mysqlFreshness(conn, 'demo')).binlogReaders, user).toBe(expected);
      } finally {
        await conn.end();
      }
    }
  });
});
