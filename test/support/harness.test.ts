import {
  DescribeStreamSummaryCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListStreamsCommand,
  PutRecordCommand,
  type KinesisClient,
  type _Record,
} from '@aws-sdk/client-kinesis';
import { createServer, type Server } from 'node:http';
import { connect as netConnect } from 'node:net';
import { createConnection, type RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { createStream, kinesisClient, startKinesalite } from './kinesalite';
import { useChromium, useKinesalite, useMariaDB } from './lifecycle';
import { createDatabase } from './mariadb';
import { makeTempDir, spawnManaged, waitFor } from './processes';

async function readFirstRecord(
  client: KinesisClient,
  stream: string,
  shardId: string,
): Promise<_Record | undefined> {
  const { ShardIterator } = await client.send(
    new GetShardIteratorCommand({
      StreamName: stream,
      ShardId: shardId,
      ShardIteratorType: 'TRIM_HORIZON',
    }),
  );
  const { Records } = await client.send(new GetRecordsCommand({ ShardIterator }));
  return Records?.[0];
}

describe('processes', () => {
  it('reports the output of a process that dies while we wait for it', async () => {
    const proc = spawnManaged('dies', process.execPath, [
      '-e',
      "console.error('boom: no config'); process.exit(3)",
    ]);
    await expect(
      waitFor('never', () => false, { timeoutMs: 10_000, process: proc }),
    ).rejects.toThrow(/exit code 3[\s\S]*boom: no config/);
  });

  it('escalates to SIGKILL when SIGTERM is ignored', async () => {
    const proc = spawnManaged('stubborn', process.execPath, [
      '-e',
      "process.on('SIGTERM', () => console.log('ignored')); setInterval(() => {}, 1000); console.log('ready')",
    ]);
    await waitFor('ready', () => proc.output().includes('ready'), {
      timeoutMs: 10_000,
      process: proc,
    });
    await proc.stop(300);
    expect(proc.exitInfo()?.signal).toBe('SIGKILL');
    expect(proc.output()).toContain('ignored');
  });
});

describe('kinesalite', () => {
  const kinesalite = useKinesalite();
  let client: KinesisClient;
  beforeAll(() => {
    client = kinesisClient(kinesalite().endpoint);
  });
  afterAll(() => client.destroy());

  it('creates a 2-shard stream and returns what was put', async () => {
    await createStream(client, 'orders', 2);
    const { StreamDescriptionSummary } = await client.send(
      new DescribeStreamSummaryCommand({ StreamName: 'orders' }),
    );
    expect(StreamDescriptionSummary?.OpenShardCount).toBe(2);

    const data = JSON.stringify({ city: '西安', amount: 12.5 });
    const put = await client.send(
      new PutRecordCommand({
        StreamName: 'orders',
        PartitionKey: 'order-1',
        Data: new TextEncoder().encode(data),
      }),
    );
    const record = await readFirstRecord(client, 'orders', put.ShardId ?? '');
    expect(record?.SequenceNumber).toBe(put.SequenceNumber);
    expect(new TextDecoder().decode(record?.Data)).toBe(data);
  });

  it('outlives a client that dies mid-request (a SIGKILLed writer)', async () => {
    // Half a request, then the socket goes: kinesalite's own handler would throw and exit.
    const socket = netConnect(kinesalite().port, '127.0.0.1');
    let answer = '';
    socket.on('data', (d: Buffer) => (answer += d.toString()));
    socket.write(
      'POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-amz-json-1.1\r\n' +
        'X-Amz-Target: Kinesis_20131202.ListStreams\r\nContent-Length: 1000\r\n' +
        'Expect: 100-continue\r\n\r\n',
    );
    // The server has taken the request once it says to go on; then half a body, and gone.
    await waitFor('the server to take the request', () => answer.includes('100 Continue'), {
      timeoutMs: 5_000,
    });
    socket.end('{"Lim');
    socket.destroy();
    await waitFor(
      'kinesalite to see the client go',
      () => kinesalite().output().includes('a client went away mid-request'),
      { timeoutMs: 5_000 },
    );
    const { StreamNames } = await client.send(new ListStreamsCommand({}));
    expect(StreamNames).toContain('orders');
  });

  it('answers again after stop and restart, on the same port, with no data', async () => {
    const { port } = kinesalite();
    await kinesalite().stop();
    await expect(client.send(new ListStreamsCommand({}))).rejects.toThrow();
    await kinesalite().restart();
    expect(kinesalite().port).toBe(port);
    const { StreamNames } = await client.send(new ListStreamsCommand({}));
    // In-memory store: a restart forgets everything.
    expect(StreamNames).toEqual([]);
  });

  it('keeps streams and records across a restart with a LevelDB path', async () => {
    const dir = await makeTempDir('livewall-kinesalite-');
    onTestFinished(() => dir.remove());
    const server = await startKinesalite({ path: dir.path });
    onTestFinished(() => server.dispose());
    const persistent = kinesisClient(server.endpoint);
    onTestFinished(() => persistent.destroy());

    await createStream(persistent, 'kept', 1);
    const put = await persistent.send(
      new PutRecordCommand({
        StreamName: 'kept',
        PartitionKey: 'k',
        Data: new TextEncoder().encode('still here'),
      }),
    );
    await server.restart();
    const record = await readFirstRecord(persistent, 'kept', put.ShardId ?? '');
    expect(new TextDecoder().decode(record?.Data)).toBe('still here');
  });
});

describe('MariaDB with binlog', () => {
  const db = useMariaDB();

  it('logs ROW events with full row images', async () => {
    const connection = await createConnection(db().url);
    onTestFinished(() => connection.end());
    const [rows] = await connection.query<RowDataPacket[]>(
      "SHOW VARIABLES WHERE Variable_name IN ('log_bin', 'binlog_format', 'binlog_row_image')",
    );
    const variables = Object.fromEntries(rows.map((row) => [row.Variable_name, row.Value]));
    expect(variables).toEqual({ log_bin: 'ON', binlog_format: 'ROW', binlog_row_image: 'FULL' });
  });

  it('stores and returns Chinese city names in a utf8mb4 database', async () => {
    const url = await createDatabase(db().url, 'shop');
    expect(url).toBe(`${db().url}shop`);
    const connection = await createConnection(url);
    onTestFinished(() => connection.end());
    const [schemas] = await connection.query<RowDataPacket[]>(
      "SELECT DEFAULT_CHARACTER_SET_NAME AS charset FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = 'shop'",
    );
    expect(schemas[0]?.charset).toBe('utf8mb4');

    await connection.query('CREATE TABLE cities (name VARCHAR(20) NOT NULL)');
    await connection.query('INSERT INTO cities (name) VALUES (?)', ['西安']);
    const [cities] = await connection.query<RowDataPacket[]>('SELECT name FROM cities');
    expect(cities.map((row) => row.name)).toEqual(['西安']);
  });

  it('keeps its data across a restart on the same port', async () => {
    await createDatabase(db().url, 'durable');
    const before = await createConnection(`${db().url}durable`);
    try {
      await before.query('CREATE TABLE t (id INT PRIMARY KEY)');
      await before.query('INSERT INTO t VALUES (1), (2)');
    } finally {
      await before.end();
    }

    await db().restart();
    const after = await createConnection(`${db().url}durable`);
    onTestFinished(() => after.end());
    const [rows] = await after.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM t');
    expect(rows[0]?.n).toBe(2);
  });
});

describe('MariaDB without binlog', () => {
  const db = useMariaDB({ binlog: false });

  it('has log_bin OFF', async () => {
    const connection = await createConnection(db().url);
    onTestFinished(() => connection.end());
    const [rows] = await connection.query<RowDataPacket[]>("SHOW VARIABLES LIKE 'log_bin'");
    expect(rows[0]?.Value).toBe('OFF');
  });
});

describe('Chromium', () => {
  const browser = useChromium();
  let server: Server;
  let url: string;
  beforeAll(async () => {
    server = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end('<!doctype html><title>wall</title><h1>西安 ¥1,234</h1>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no server address');
    url = `http://127.0.0.1:${address.port}/`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('renders a page from a local http server', async () => {
    const page = await browser().newPage();
    onTestFinished(() => page.close());
    await page.goto(url);
    expect(await page.title()).toBe('wall');
    expect(await page.textContent('h1')).toBe('西安 ¥1,234');
  });
});
