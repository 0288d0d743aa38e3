/** `livewall up`'s parts that need no server: what it says when MariaDB is missing, log lines. */
import { describe, expect, test } from 'vitest';
import { lastLines } from '../../../src/main/cli/up/child';
import { kinesaliteEntry } from '../../../src/main/cli/up/localKinesis';
import {
  findBinary,
  MARIADB_MISSING,
  startLocalMariaDB,
} from '../../../src/main/cli/up/localMariaDB';
import { ROOT } from '../../support/livewall';

describe('livewall up, before anything starts', () => {
  test('without MariaDB it says the one command that installs it', async () => {
    await expect(
      startLocalMariaDB({
        dir: '/nonexistent',
        port: 1,
        logs: '/nonexistent',
        env: {},
        say: () => undefined,
        find: () => null,
      }),
    ).rejects.toThrow(MARIADB_MISSING);
    expect(MARIADB_MISSING).toContain('apt-get install mariadb-server');
  });

  test('finds binaries on PATH and in sbin, and kinesalite in the repository', () => {
    expect(findBinary('no-such-binary-livewall', { PATH: '' })).toBeNull();
    expect(findBinary('node', { PATH: '/usr/bin:/usr/local/bin' })).not.toBeNull();
    expect(kinesaliteEntry(ROOT)).toMatch(/kinesalite/);
    expect(kinesaliteEntry('/')).toBeNull();
  });

  test('a stopped part is named with its last lines', () => {
    expect(lastLines('a\nb\n\nc\nd\n')).toBe('b / c / d');
    expect(lastLines('')).toBe('(no output)');
  });
});
