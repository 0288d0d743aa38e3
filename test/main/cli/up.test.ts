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

test('a taken Kinesis port is named with the flag that moves it', async () => {
  const { createServer } = await import('node:net');
  const { mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { startLocalKinesis } = await import('../../../src/main/cli/up/localKinesis');
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const dir = mkdtempSync(join(tmpdir(), 'lwupk-'));
  try {
    await expect(
      startLocalKinesis({ root: ROOT, dataDir: join(dir, 'k'), port, logs: dir, env: process.env }),
    ).rejects.toThrow(`port ${port} is in use: choose another with --kinesis-port`);
  } finally {
    server.close();
  }
});
