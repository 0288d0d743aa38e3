/**
 * Every push of the table reaches a screen over both transports, by its one name: Electron IPC
 * (the shell's wrapper, then the preload, through the typed fake of electron) and the WebSocket
 * (the web server; the browser client's side is in test/renderer/api/webSocketApi.test.ts). A
 * push added to the table without a sample here does not compile.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { WebSocket } from 'ws';
import { PUSH_CHANNELS, type LivewallApi } from '../../src/shared/channels';
import type { Snapshot } from '../../src/shared/contracts';
import { forwardPushes, pushListeners, type PushSend } from '../../src/shared/pushes';
import { parseWith } from '../../src/shared/schemaKit';
import { serverMessage, type ServerMessage } from '../../src/shared/wire';
import type { ScreenFeed } from '../../src/main/app/screenSource';
import { createWebServer } from '../../src/main/app/webServer';
import { PUSH_SAMPLES } from '../support/pushSamples';

const SNAPSHOT: Snapshot = {
  metrics: [{ ...PUSH_SAMPLES['metrics.batch'].records[0]!, value: 5 }],
  lastRecordAt: 3,
  stale: false,
  language: 'en',
};

interface FakeFeed extends ScreenFeed {
  emit: PushSend;
  /** How often the snapshot was taken. */
  readonly snapshots: number;
}

function fakeFeed(): FakeFeed {
  const pushes = pushListeners((error) => {
    throw error;
  });
  let snapshots = 0;
  return {
    on: pushes.on,
    emit: pushes.emit,
    snapshot: () => {
      snapshots++;
      return SNAPSHOT;
    },
    status: () => ({ source: 'embedded', state: 'ok', message: null }),
    burst: async () => ({ inserted: 0, updated: 0, failed: 0 }),
    burstTargets: () => [{ id: 'embedded', label: 'Embedded demo' }],
    health: async () => [],
    stats: () => ({}),
    get snapshots() {
      return snapshots;
    },
  };
}

let cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
  vi.doUnmock('electron');
});

/** A web server over `feed`, and the messages a WebSocket client of it receives, parsed. */
async function socketOf(feed: ScreenFeed): Promise<ServerMessage[]> {
  const dir = mkdtempSync(join(tmpdir(), 'lwpush-'));
  const server = createWebServer({ feed, staticDir: dir, port: 0, log: () => undefined });
  const { url } = await server.start();
  const ws = new WebSocket(`${url.replace('http', 'ws')}/ws`);
  const messages: ServerMessage[] = [];
  ws.on('message', (data: Buffer) => {
    const m = parseWith(serverMessage, data.toString(), 'message');
    if (!m.ok) throw new Error(m.error);
    messages.push(m.value);
  });
  cleanup.push(async () => {
    ws.close();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  return messages;
}

describe('every push of the table', () => {
  test('is forwarded under its name, and no longer once unsubscribed', () => {
    const feed = fakeFeed();
    const sent: { channel: string; payload: unknown }[] = [];
    const stop = forwardPushes(feed, (channel, payload) => sent.push({ channel, payload }));
    for (const c of PUSH_CHANNELS) feed.emit(c, PUSH_SAMPLES[c]);
    expect(sent).toEqual(PUSH_CHANNELS.map((c) => ({ channel: c, payload: PUSH_SAMPLES[c] })));
    stop();
    for (const c of PUSH_CHANNELS) feed.emit(c, PUSH_SAMPLES[c]);
    expect(sent).toHaveLength(PUSH_CHANNELS.length);
  });

  test.each(PUSH_CHANNELS)('%s reaches the page over IPC, through the preload', async (channel) => {
    vi.resetModules();
    const fake = await import('../support/electronFake');
    vi.doMock('electron', () => fake);
    const { registerIpc } = await import('../../src/main/shell/ipc');
    await import('../../src/preload/index');
    const page = fake.contextBridge.exposed.get('livewall') as LivewallApi;
    const feed = fakeFeed();
    const contents = new fake.FakeWebContents();
    const unregister = registerIpc(
      feed,
      () => contents,
      async () => ({ saved: false, message: '' }),
      () => true,
      fake.ipcMain,
    );
    cleanup.push(unregister);
    const got: unknown[] = [];
    const off = page.on(channel, (payload) => got.push(payload));
    feed.emit(channel, PUSH_SAMPLES[channel]);
    expect(contents.sent).toEqual([{ channel, payload: PUSH_SAMPLES[channel] }]);
    expect(got).toEqual([PUSH_SAMPLES[channel]]);
    off();
    expect(fake.ipcRenderer.listenerCount(channel)).toBe(0);
  });

  test.each(PUSH_CHANNELS)('%s reaches a browser over the WebSocket', async (channel) => {
    const feed = fakeFeed();
    const messages = await socketOf(feed);
    // Subscribed once its first messages came: the snapshot (once), then the status.
    await expect.poll(() => messages.length).toBe(2);
    expect(messages.map((m) => m.channel)).toEqual(['metrics.snapshot', 'source.status']);
    expect(feed.snapshots).toBe(1);
    feed.emit(channel, PUSH_SAMPLES[channel]);
    await expect.poll(() => messages.length).toBe(3);
    expect(messages[2]).toEqual({ channel, payload: PUSH_SAMPLES[channel] });
  });
});
