import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { alias: { '@shared': resolve(import.meta.dirname, 'src/shared') } },
  test: {
    environment: 'node',
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
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
