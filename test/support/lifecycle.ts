import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchChromium } from './chromium';
import { startKinesalite, type Kinesalite, type KinesaliteOptions } from './kinesalite';
import { startMariaDB, type MariaDB, type MariaDBOptions } from './mariadb';
import { startPostgres, type Postgres } from './postgres';

export { stopAll } from './processes';

/*
 * Call useX() at the top of a test file or describe block (not inside a hook or test: vitest
 * only collects hooks there). It starts the server in beforeAll, stops it in afterAll, which
 * vitest runs whether the tests passed or failed, and returns a getter for the handle:
 *
 *   const db = useMariaDB();
 *   it('stores 西安', async () => { const url = await createDatabase(db().url, 'shop'); ... });
 *
 * For one-off servers inside a single test, call startX() and register
 * `onTestFinished(() => handle.dispose())`.
 */
function useResource<T>(
  what: string,
  start: () => Promise<T>,
  dispose: (resource: T) => Promise<void>,
): () => T {
  let resource: T | undefined;
  beforeAll(async () => {
    resource = await start();
  });
  afterAll(async () => {
    const current = resource;
    resource = undefined;
    if (current !== undefined) await dispose(current);
  });
  return () => {
    if (resource === undefined) throw new Error(`${what} is not running (did its beforeAll fail?)`);
    return resource;
  };
}

/** kinesalite for this file or describe block. */
export function useKinesalite(options?: KinesaliteOptions): () => Kinesalite {
  return useResource(
    'kinesalite',
    () => startKinesalite(options),
    (server) => server.dispose(),
  );
}

/** A private MariaDB (binlog ROW unless `binlog: false`) for this file or describe block. */
export function useMariaDB(options?: MariaDBOptions): () => MariaDB {
  return useResource(
    'MariaDB',
    () => startMariaDB(options),
    (server) => server.dispose(),
  );
}

/** A private PostgreSQL (the warehouse's stand-in) for this file or describe block. */
export function usePostgres(): () => Postgres {
  return useResource('PostgreSQL', startPostgres, (server) => server.dispose());
}

/** A headless Chromium for this file or describe block. */
export function useChromium(): () => Browser {
  return useResource('Chromium', launchChromium, (browser) => browser.close());
}
