/**
 * A real HTTP hop between a client and kinesalite that records every Kinesis call (operation,
 * shard, time) and can answer some of them with an AWS error instead of forwarding: how the tests
 * make throttling and expired iterators happen on demand, without mocking the SDK.
 */
import { createDecipheriv } from 'node:crypto';
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { track } from './processes';

const here = typeof __filename === 'string' ? __filename : import.meta.url;
const kinesaliteDb = createRequire(here)('kinesalite/db') as {
  ITERATOR_PWD_KEY: Buffer;
  ITERATOR_PWD_IV: Buffer;
};

export interface ProxiedCall {
  /** e.g. GetRecords. */
  op: string;
  /** The shard a GetRecords iterator or a GetShardIterator request names. */
  shardId: string | null;
  at: number;
}

/** An AWS JSON error to answer with, or undefined to forward the call. */
export type FaultRule = (
  call: ProxiedCall,
  index: number,
) => { status: number; type: string; message: string } | undefined;

/**
 * Given a call and the upstream's answer (already received), a promise to hold that answer back
 * until it settles, or undefined to pass it on at once: how a test keeps a read in flight.
 */
export type HoldRule = (call: ProxiedCall, answer: string) => Promise<void> | undefined;

export interface FaultProxy {
  endpoint: string;
  calls: ProxiedCall[];
  setRule(rule: FaultRule | undefined): void;
  setHold(hold: HoldRule | undefined): void;
  stop(): Promise<void>;
}

/** kinesalite's iterators are its own AES-encrypted strings: `time/stream/shard/seq/...`. */
function shardOfIterator(iterator: string): string | null {
  try {
    const buf = Buffer.from(iterator, 'base64');
    const d = createDecipheriv(
      'aes-256-cbc',
      kinesaliteDb.ITERATOR_PWD_KEY,
      kinesaliteDb.ITERATOR_PWD_IV,
    );
    return (
      Buffer.concat([d.update(buf.subarray(8)), d.final()])
        .toString('utf8')
        .split('/')[2] ?? null
    );
  } catch {
    return null;
  }
}

async function body(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const upstream = new URL(target);
  const calls: ProxiedCall[] = [];
  let rule: FaultRule | undefined;
  let hold: HoldRule | undefined;
  const server: Server = createServer((req, res) => {
    void (async () => {
      const raw = await body(req);
      const op = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
      let shardId: string | null = null;
      try {
        const json = JSON.parse(raw.toString('utf8')) as {
          ShardIterator?: string;
          ShardId?: string;
        };
        shardId = json.ShardIterator ? shardOfIterator(json.ShardIterator) : (json.ShardId ?? null);
      } catch {
        // not JSON: forwarded as is
      }
      const call = { op, shardId, at: Date.now() };
      calls.push(call);
      const fault = rule?.(call, calls.length - 1);
      if (fault) {
        const text = JSON.stringify({ __type: fault.type, message: fault.message });
        res.writeHead(fault.status, {
          'content-type': 'application/x-amz-json-1.1',
          'x-amzn-errortype': fault.type,
        });
        res.end(text);
        return;
      }
      const up = request(
        {
          host: upstream.hostname,
          port: upstream.port,
          path: req.url,
          method: req.method,
          headers: req.headers,
        },
        (r) => {
          if (!hold) {
            res.writeHead(r.statusCode ?? 502, r.headers);
            r.pipe(res);
            return;
          }
          void (async () => {
            const answer = await body(r);
            await hold?.(call, answer.toString('utf8'));
            res.writeHead(r.statusCode ?? 502, r.headers);
            res.end(answer);
          })().catch(() => res.destroy());
        },
      );
      up.on('error', () => res.destroy());
      up.end(raw);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const stop = async (): Promise<void> => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  const untrack = track('fault proxy', stop);
  return {
    endpoint,
    calls,
    setRule: (r) => (rule = r),
    setHold: (h) => (hold = h),
    stop: async () => {
      untrack();
      await stop();
    },
  };
}
