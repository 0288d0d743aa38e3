import { describe, expect, test } from 'vitest';
import {
  hostName,
  isLoopbackAddress,
  isRequestAllowed,
  type RequestFacts,
} from '../../../src/main/app/requestPolicy';

const base: RequestFacts = {
  method: 'GET',
  path: '/api/snapshot',
  remoteAddress: '127.0.0.1',
  host: '127.0.0.1:3008',
  origin: undefined,
  authorization: undefined,
  boundHost: '127.0.0.1',
  token: undefined,
};

describe('isRequestAllowed', () => {
  test.each<[string, Partial<RequestFacts>, boolean | number]>([
    ['a local page', {}, true],
    ['localhost by name', { host: 'localhost:3008' }, true],
    ['DNS rebinding to loopback', { host: 'evil.example:3008' }, 403],
    ['no Host header', { host: undefined }, 400],
    ['same origin', { origin: 'http://127.0.0.1:3008' }, true],
    ['another site', { origin: 'http://evil.example' }, 403],
    ['an opaque origin', { origin: 'null' }, 403],
    ['a local burst', { method: 'POST', path: '/api/burst' }, true],
    [
      'a remote burst without token',
      {
        method: 'POST',
        path: '/api/burst',
        boundHost: '0.0.0.0',
        host: '10.0.0.5:3008',
        remoteAddress: '10.0.0.9',
      },
      403,
    ],
    [
      'a remote read on a public bind',
      { boundHost: '0.0.0.0', host: '10.0.0.5:3008', remoteAddress: '10.0.0.9' },
      true,
    ],
    [
      'a burst with the token',
      {
        method: 'POST',
        path: '/api/burst',
        token: 's3cret',
        authorization: 'Bearer s3cret',
        remoteAddress: '10.0.0.9',
      },
      true,
    ],
    [
      'a burst with a wrong token from another machine',
      {
        method: 'POST',
        path: '/api/burst',
        token: 's3cret',
        authorization: 'Bearer nope',
        remoteAddress: '10.0.0.9',
      },
      401,
    ],
    [
      "this machine's own screen, with a token configured",
      { method: 'POST', path: '/api/burst', token: 's3cret', remoteAddress: '127.0.0.1' },
      true,
    ],
  ])('%s', (_name, over, want) => {
    const v = isRequestAllowed({ ...base, ...over });
    if (want === true) expect(v).toEqual({ allowed: true });
    else expect(v).toMatchObject({ allowed: false, status: want });
  });

  test.each([
    ['127.0.0.1', true],
    ['::1', true],
    ['::ffff:127.0.0.1', true],
    ['10.0.0.1', false],
    [undefined, false],
  ])('loopback address %s', (a, want) => {
    expect(isLoopbackAddress(a)).toBe(want);
  });

  test.each([
    ['[::1]:3008', '::1'],
    ['LocalHost:80', 'localhost'],
    ['example.com', 'example.com'],
  ])('host name of %s', (h, want) => {
    expect(hostName(h)).toBe(want);
  });
});
