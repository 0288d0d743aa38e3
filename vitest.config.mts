import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { configDefaults, defineConfig } from 'vitest/config';

// The test files that start no server (test/unitTests.test.ts keeps the list honest).
const UNIT_TESTS = JSON.parse(
  readFileSync(resolve(import.meta.dirname, 'test/unitTests.json'), 'utf8'),
) as string[];

export default defineConfig({
  resolve: { alias: { '@shared': resolve(import.meta.dirname, 'src/shared') } },
  test: {
    environment: 'node',
    // Each file runs once: `unit` needs no server (npm run test:unit), `servers` is the rest.
    projects: [
      { extends: true, test: { name: 'unit', include: UNIT_TESTS } },
      {
        extends: true,
        test: {
          name: 'servers',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...UNIT_TESTS],
        },
      },
    ],
    testTimeout: 60_000,
    // expect.poll waits for an event; its 1 s default is a timing assumption a loaded machine breaks.
    expect: { poll: { timeout: 20_000 } },
    hookTimeout: 120_000,
    // Servers (MariaDB, kinesalite, Chromium) are heavy on a 2-core machine.
    maxWorkers: 2,
    env: {
      // Never let the SDK's credential chain reach for the EC2 metadata address from a test.
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      // kinesalite accepts any key; tests of the credential chain itself override these.
      AWS_ACCESS_KEY_ID: 'livewall-test',
      AWS_SECRET_ACCESS_KEY: 'livewall-test',
      AWS_REGION: 'us-east-1',
    },
  },
});
