import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import {
  binlogRefusal,
  missingPrivileges,
  privilegeRefusal,
  quoteAccount,
} from '../../../src/main/cdc/preflight';
import {
  binlogStatusStatement,
  parseStoredPosition,
  PositionStore,
  purgedRefusal,
} from '../../../src/main/cdc/position';

describe('binlog settings', () => {
  const good = { log_bin: 'ON', binlog_format: 'ROW', binlog_row_image: 'FULL' };
  test.each([
    [good, null],
    [{ ...good, log_bin: 'OFF' }, /Binary logging is off.*log_bin=mysql-bin and server_id=1/],
    [{ ...good, binlog_format: 'MIXED' }, /binlog_format is MIXED.*SET GLOBAL binlog_format='ROW'/],
    [{ ...good, binlog_format: 'STATEMENT' }, /binlog_format is STATEMENT.*binlog_format=ROW/],
    [
      { ...good, binlog_row_image: 'MINIMAL' },
      /binlog_row_image is MINIMAL.*SET GLOBAL binlog_row_image='FULL'/,
    ],
    [{ ...good, binlog_format: 'row', binlog_row_image: 'full' }, null],
  ])('%j', (settings, expected) => {
    const refusal = binlogRefusal(settings);
    if (expected === null) expect(refusal).toBeNull();
    else expect(refusal).toMatch(expected);
  });
});

describe('privileges from SHOW GRANTS', () => {
  const to = ' TO `cdc`@`%`';
  test.each([
    [[`GRANT ALL PRIVILEGES ON *.*${to} WITH GRANT OPTION`], []],
    [[`GRANT REPLICATION SLAVE, REPLICATION CLIENT, SELECT ON *.*${to}`], []],
    // MariaDB 10.5+ shows REPLICATION CLIENT as BINLOG MONITOR.
    [
      [
        `GRANT REPLICATION SLAVE, BINLOG MONITOR ON *.*${to} IDENTIFIED BY PASSWORD '*AB'`,
        `GRANT SELECT ON \`demo\`.*${to}`,
      ],
      [],
    ],
    [
      [
        `GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.*${to}`,
        `GRANT SELECT ON \`demo\`.\`order\`${to}`,
      ],
      [],
    ],
    [
      [`GRANT USAGE ON *.*${to}`, `GRANT SELECT ON \`demo\`.*${to}`],
      ['REPLICATION SLAVE', 'REPLICATION CLIENT'],
    ],
    [
      [
        `GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.*${to}`,
        `GRANT SELECT ON \`other\`.*${to}`,
      ],
      ['SELECT'],
    ],
    // Replication privileges exist only globally; a column grant is not SELECT on the table.
    [[`GRANT ALL PRIVILEGES ON \`demo\`.*${to}`], ['REPLICATION SLAVE', 'REPLICATION CLIENT']],
    [
      [
        `GRANT REPLICATION SLAVE ON *.*${to}`,
        `GRANT SELECT (order_id, status) ON \`demo\`.\`order\`${to}`,
      ],
      ['REPLICATION CLIENT', 'SELECT'],
    ],
    // MySQL 8's dynamic privileges line, commas without spaces.
    [
      [
        `GRANT SELECT, REPLICATION SLAVE, REPLICATION CLIENT ON *.*${to}`,
        `GRANT BACKUP_ADMIN,BINLOG_ADMIN ON *.*${to}`,
      ],
      [],
    ],
    [
      [`GRANT PROXY ON ''@'%'${to}`, `GRANT USAGE ON *.*${to}`],
      ['REPLICATION SLAVE', 'REPLICATION CLIENT', 'SELECT'],
    ],
    // Roles: SHOW GRANTS does not list what they hold, so the server decides later.
    [['GRANT `cdc_role` TO `cdc`@`%`', `GRANT USAGE ON *.*${to}`], null],
  ])('%j → missing %j', (grants, missing) => {
    expect(missingPrivileges(grants, 'demo', 'order')).toEqual(missing);
  });

  test('the refusal names what is missing and the GRANT to run', () => {
    expect(
      privilegeRefusal(['REPLICATION SLAVE', 'REPLICATION CLIENT'], quoteAccount('cdc@127.0.0.1')),
    ).toBe(
      "The MySQL user 'cdc'@'127.0.0.1' lacks REPLICATION SLAVE, REPLICATION CLIENT, which cdc needs to read the binlog: as an admin, run GRANT REPLICATION SLAVE, REPLICATION CLIENT, SELECT ON *.* TO 'cdc'@'127.0.0.1';",
    );
  });
});

describe('binlog position', () => {
  test.each([
    ['10.11.6-MariaDB-0+deb12u1-log', 'SHOW MASTER STATUS'],
    ['8.0.36', 'SHOW MASTER STATUS'],
    ['8.2.0', 'SHOW BINARY LOG STATUS'],
    ['8.4.3', 'SHOW BINARY LOG STATUS'],
    ['9.1.0', 'SHOW BINARY LOG STATUS'],
    ['5.7.44-log', 'SHOW MASTER STATUS'],
  ])('%s uses %s', (version, statement) => {
    expect(binlogStatusStatement(version)).toBe(statement);
  });

  const logs = [
    { name: 'mysql-bin.000003', size: 900 },
    { name: 'mysql-bin.000004', size: 400 },
  ];
  test('a position still on the server is fine; a purged one gets the sentence with the fix', () => {
    expect(
      purgedRefusal({ file: 'mysql-bin.000003', position: 500 }, logs, 'p.json', 'order_ds'),
    ).toBeNull();
    expect(
      purgedRefusal({ file: 'mysql-bin.000004', position: 400 }, logs, 'p.json', 'order_ds'),
    ).toBeNull();
    const sentence = purgedRefusal(
      { file: 'mysql-bin.000001', position: 500 },
      logs,
      'p.json',
      'order_ds',
    );
    expect(sentence).toMatch(
      /^The stored binlog position mysql-bin.000001:500 \(in p.json\) is gone from the server \(its oldest binlog is now mysql-bin.000003\)/,
    );
    expect(sentence).toMatch(/Could not find first log file name in binary log index file/);
    expect(sentence).toMatch(/run cdc again with --from-current/);
    // Past the end of a file that is still there: the server would refuse it too.
    expect(
      purgedRefusal({ file: 'mysql-bin.000004', position: 401 }, logs, 'p.json', 'order_ds'),
    ).not.toBeNull();
  });

  test.each([
    '',
    '{}',
    'null',
    '{"file":"x","position":-1}',
    '{"file":"","position":4}',
    '{"file":"x","position":1.5}',
    'not json',
  ])('a malformed position file is refused: %s', (text) => {
    expect(parseStoredPosition(text).ok).toBe(false);
  });
});

describe('the position file', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = undefined;
  });

  test('saves durably by rename, keeps the newest of a burst, and reads back', async () => {
    dir = await mkdtemp(join(tmpdir(), 'livewall-pos-'));
    const store = new PositionStore(join(dir, 'sub', 'cdc.json'));
    expect(await store.load()).toBeNull();
    const at = (position: number) => ({
      file: 'mysql-bin.000001',
      position,
      server: 'h:1',
      database: 'demo',
      savedAt: 'now',
    });
    await Promise.all([store.save(at(10)), store.save(at(20)), store.save(at(30))]);
    expect(await store.load()).toEqual(at(30));
    // No temporary files left behind.
    expect(await readdir(join(dir, 'sub'))).toEqual(['cdc.json']);
    expect(JSON.parse(await readFile(join(dir, 'sub', 'cdc.json'), 'utf8'))).toMatchObject({
      position: 30,
    });
  });

  test('an unreadable file is an error that says what to do, never a silent start', async () => {
    dir = await mkdtemp(join(tmpdir(), 'livewall-pos-'));
    await writeFile(join(dir, 'cdc.json'), 'garbage');
    await expect(new PositionStore(join(dir, 'cdc.json')).load()).rejects.toThrow(
      /not a cdc position file.*--from-current/,
    );
  });
});
