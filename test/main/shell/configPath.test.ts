import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { appConfigLocation } from '../../../src/main/shell/configPath';

const userData = '/home/wall/.config/livewall';
const inData = join(userData, 'livewall.config.json');

describe('where the app reads livewall.config.json', () => {
  test.each([
    [
      'LIVEWALL_CONFIG wins, and must exist',
      { LIVEWALL_CONFIG: '/etc/wall.json' },
      true,
      false,
      { path: '/etc/wall.json', required: true },
    ],
    [
      'installed: the data folder, defaults when missing',
      {},
      true,
      false,
      { path: inData, required: false },
    ],
    ['installed, file present', {}, true, true, { path: inData, required: false }],
    ['development with a data-folder file', {}, false, true, { path: inData, required: false }],
    [
      'development without one: the working folder',
      {},
      false,
      false,
      { path: 'livewall.config.json', required: false },
    ],
  ])('%s', (_name, env, packaged, present, expected) => {
    const got = appConfigLocation({
      env,
      packaged,
      userData,
      exists: (p) => present && p === inData,
    });
    expect(got).toEqual(expected);
  });
});
