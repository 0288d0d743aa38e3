import { describe, expect, test } from 'vitest';
import { CONTRACT, HTTP_ROUTES, INVOKE_CHANNELS, invokeApi } from '../../src/shared/channels';

describe('the contract table', () => {
  test('every channel is listed, with its own API method and at most one route', () => {
    expect([...INVOKE_CHANNELS].sort()).toEqual(Object.keys(CONTRACT).sort());
    const apis = INVOKE_CHANNELS.map((c) => CONTRACT[c].api);
    expect(new Set(apis).size).toBe(apis.length);
    const routed = INVOKE_CHANNELS.filter((c) => CONTRACT[c].http !== null);
    expect(HTTP_ROUTES.size).toBe(routed.length);
    for (const [path, channel] of HTTP_ROUTES) {
      expect(path).toMatch(/^\/api\//);
      expect(CONTRACT[channel].http?.path).toBe(path);
    }
  });

  test('the password never has a route: it is set in the app only', () => {
    expect(CONTRACT['mysql.password'].http).toBeNull();
  });

  test('invokeApi gives one method per channel, each calling its own channel', async () => {
    const calls: [string, unknown][] = [];
    const api = invokeApi((channel, request) => {
      calls.push([channel, request]);
      return Promise.resolve(undefined as never);
    });
    await api.getSnapshot();
    await api.burst({ orders: 5 });
    await api.setMySqlPassword({ password: 'x' });
    expect(calls).toEqual([
      ['metrics.snapshot', undefined],
      ['burst.start', { orders: 5 }],
      ['mysql.password', { password: 'x' }],
    ]);
    expect(Object.keys(api).sort()).toEqual(INVOKE_CHANNELS.map((c) => CONTRACT[c].api).sort());
  });
});
