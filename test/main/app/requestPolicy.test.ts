import { describe, expect, test } from 'vitest';
import {
  allowedHostNames,
  bearerMatches,
  hostName,
  isLoopbackAddress,
  isRequestAllowed,
  READS_ONLY_REASON,
  TOKEN_REASON,
  type RequestFacts,
} from '../../../src/main/app/requestPolicy';

/** A wall PC at 10.0.0.5 that people also reach as wall.local. */
const lan = allowedHostNames('0.0.0.0', ['127.0.0.1', '10.0.0.5', 'fe80::1'], ['Wall.local']);
const local = allowedHostNames('127.0.0.1', ['127.0.0.1', '10.0.0.5'], []);

const base: RequestFacts = {
  method: 'GET',
  path: '/api/snapshot',
  host: '127.0.0.1:3008',
  origin: undefined,
  authorization: undefined,
  boundHost: '127.0.0.1',
  allowedHosts: local,
  token: undefined,
};
const onLan: Partial<RequestFacts> = { boundHost: '0.0.0.0', allowedHosts: lan };
const burst: Partial<RequestFacts> = { method: 'POST', path: '/api/burst' };

describe('isRequestAllowed', () => {
  test.each<[string, Partial<RequestFacts>, boolean | number]>([
    ['a local page', {}, true],
    ['localhost by name', { host: 'localhost:3008' }, true],
    ['DNS rebinding to loopback', { host: 'evil.example:3008' }, 403],
    ['no Host header', { host: undefined }, 400],
    ['same origin', { origin: 'http://127.0.0.1:3008' }, true],
    ['localhost page reading 127.0.0.1', { origin: 'http://localhost:3008' }, true],
    ['another site', { origin: 'http://evil.example' }, 403],
    ['another port on this machine', { origin: 'http://localhost:5173' }, 403],
    ['a malformed origin', { origin: 'http://[x' }, 403],
    ['an opaque origin', { origin: 'null' }, 403],
    ['a local burst on a loopback bind, no token', burst, true],
    // Bound off loopback: rebinding gets nothing, reads or writes.
    ['rebinding on 0.0.0.0: a read', { ...onLan, host: 'evil.example:3008' }, 403],
    [
      'rebinding on 0.0.0.0: a burst with its own origin',
      {
        ...onLan,
        ...burst,
        host: 'evil.example:3008',
        origin: 'http://evil.example:3008',
        token: 's3cret',
        authorization: 'Bearer s3cret',
      },
      403,
    ],
    ['a LAN read by address', { ...onLan, host: '10.0.0.5:3008' }, true],
    ['a LAN read by a configured name', { ...onLan, host: 'WALL.local:3008' }, true],
    ['a LAN read by IPv6 address', { ...onLan, host: '[fe80::1]:3008' }, true],
    [
      'a LAN page on a configured name',
      { ...onLan, host: 'wall.local:3008', origin: 'http://wall.local:3008' },
      true,
    ],
    [
      'an origin that is an allowed name but a different Host',
      { ...onLan, host: '10.0.0.5:3008', origin: 'http://wall.local:3008' },
      true,
    ],
    // Bound off loopback without a token: reads only, for every peer.
    ['a burst on 0.0.0.0 without token', { ...onLan, ...burst, host: '10.0.0.5:3008' }, 403],
    ['a local burst on 0.0.0.0 without token', { ...onLan, ...burst }, 403],
    ['a password or other write on 0.0.0.0', { ...onLan, method: 'PUT', path: '/api/x' }, 403],
    // With a token: every peer carries it, loopback too.
    [
      'a burst with the token',
      { ...onLan, ...burst, token: 's3cret', authorization: 'Bearer s3cret' },
      true,
    ],
    [
      'a burst with a wrong token',
      { ...burst, token: 's3cret', authorization: 'Bearer nope' },
      401,
    ],
    ['a local burst without the token', { ...burst, token: 's3cret' }, 401],
    ['a read needs no token', { token: 's3cret' }, true],
  ])('%s', (_name, over, want) => {
    const v = isRequestAllowed({ ...base, ...over });
    if (want === true) expect(v).toEqual({ allowed: true });
    else expect(v).toMatchObject({ allowed: false, status: want });
  });

  test('refusals say what to do', () => {
    expect(isRequestAllowed({ ...base, ...onLan, ...burst })).toMatchObject({
      reason: READS_ONLY_REASON,
    });
    expect(READS_ONLY_REASON).toMatch(/LIVEWALL_TOKEN/);
    expect(isRequestAllowed({ ...base, ...burst, token: 't' })).toMatchObject({
      reason: TOKEN_REASON,
    });
    expect(isRequestAllowed({ ...base, host: 'evil.example' })).toMatchObject({
      reason: expect.stringMatching(/web\.hostnames/),
    });
  });

  test.each([
    ['Bearer s3cret', 's3cret', true],
    ['Bearer s3cre', 's3cret', false],
    ['Bearer s3cretX', 's3cret', false],
    ['Bearer ', 's3cret', false],
    ['s3cret', 's3cret', false],
    [undefined, 's3cret', false],
  ])('bearer %s against the token', (header, token, want) => {
    expect(bearerMatches(header, token)).toBe(want);
  });

  test('allowed names: loopback, the bound address, machine addresses, configured names', () => {
    expect([...allowedHostNames('192.168.1.4', ['fe80::1'], [' Wall.Local '])].sort()).toEqual(
      ['127.0.0.1', '192.168.1.4', '::1', 'fe80::1', 'localhost', 'wall.local'].sort(),
    );
    expect(allowedHostNames('0.0.0.0', [], []).has('0.0.0.0')).toBe(false);
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
    ['fe80::1', 'fe80::1'],
  ])('host name of %s', (h, want) => {
    expect(hostName(h)).toBe(want);
  });
});
