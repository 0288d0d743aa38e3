/**
 * `livewall health` as an operator runs it: every configured stage probed, one line each, exit
 * 0 when all pass, 1 when one fails (with what to do), 2 on bad configuration.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { describe, expect, test } from 'vitest';
import { createStream, kinesisClient } from '../support/kinesalite';
import { useKinesalite, useMariaDB } from '../support/lifecycle';
import { createDatabase } from '../support/mariadb';
import { runLivewall } from '../support/livewall';
import { ORDER_TABLE_DDL } from '../../src/main/mysql/orderSchema';

const kinesalite = useKinesalite();
const withBinlog = useMariaDB();
const withoutBinlog = useMariaDB({ binlog: false });

async function run(
  args: string[],
  config?: object,
): Promise<{ code: number | null; output: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'lwhealth-'));
  if (config) writeFileSync(join(dir, 'livewall.config.json'), JSON.stringify(config));
  const r = await runLivewall(['health', ...args], { cwd: dir });
  // The first line names the config file read (stderr); the checks follow it.
  const [first, ...rest] = r.output.split('\n');
  expect(first).toBe(
    config
      ? `livewall health: config ${join(dir, 'livewall.config.json')}`
      : `livewall health: no config file (${join(dir, 'livewall.config.json')} does not exist; defaults apply)`,
  );
  return { code: r.code, output: rest.join('\n') };
}

async function shop(url: string): Promise<string> {
  const conn = await createConnection(url);
  await conn.query(ORDER_TABLE_DDL);
  await conn.end();
  return url;
}

describe('livewall health', () => {
  test('the embedded default: the in-process pipeline folds orders exactly', async () => {
    const r = await run([]);
    expect(r).toEqual({
      code: 0,
      output:
        'ok    embedded pipeline: simulator → changelog → engine → screen state folds orders exactly (3 of 3)\n',
    });
  });

  test('Kinesis streams: an active one passes, a missing one fails with what to do; --json', async () => {
    await createStream(kinesisClient(kinesalite().endpoint), 'health_metric_ds', 2);
    const config = {
      source: 'kinesis',
      stream: 'health_metric_ds',
      aws: { endpoint: kinesalite().endpoint },
    };
    const good = await run([], config);
    expect(good.code).toBe(0);
    expect(good.output).toMatch(
      /^ok {4}kinesis health_metric_ds: ACTIVE, 2 open shard\(s\), retention 24 h \(endpoint http:\/\/127\.0\.0\.1:\d+, region us-east-1\)\n$/,
    );
    const bad = await run(['--streams', 'health_order_ds', '--json'], config);
    expect(bad.code).toBe(1);
    // One JSON array of {stage, ok, detail, ageMs?} (issue 12).
    const checks = JSON.parse(bad.output) as { stage: string; ok: boolean; detail: string }[];
    expect(checks.map((c) => [c.stage, c.ok])).toEqual([
      ['kinesis health_metric_ds', true],
      ['kinesis health_order_ds', false],
    ]);
    expect(checks[1]?.detail).toMatch(
      /^Stream "health_order_ds" was not found .*: check the stream name and the region\.$/,
    );
  });

  test('MySQL: ready for bursts and cdc, or the exact setting to change', async () => {
    const ready = await shop(await createDatabase(withBinlog().url, 'health'));
    const pass = await run(['--mysql', `mysql://root@127.0.0.1:${withBinlog().port}/health`]);
    expect(pass.code).toBe(0);
    expect(pass.output).toContain(
      `ok    mysql: root@127.0.0.1:${withBinlog().port}/health: the order table is there; binlog ROW/FULL`,
    );
    expect(ready).toContain('/health');
    await shop(await createDatabase(withoutBinlog().url, 'health'));
    const fail = await run(['--mysql', `mysql://root@127.0.0.1:${withoutBinlog().port}/health`]);
    expect(fail.code).toBe(1);
    expect(fail.output).toMatch(
      /FAIL {2}mysql: .*Binary logging is off on this server.*add log_bin=mysql-bin/,
    );
  });

  test('bad configuration is exit 2', async () => {
    const r = await run([], { source: 'carrier-pigeon' });
    expect(r.code).toBe(2);
    expect(r.output).toContain('config: "source" must be "embedded" or "kinesis"');
    const lag = await run(['--order-stream', 'order_ds', '--max-lag', '0']);
    expect(lag.code).toBe(2);
    expect(lag.output).toContain('--max-lag must be a number from 1 to 86400');
    const name = await run(['--firehose', 'no spaces']);
    expect(name.code).toBe(2);
    expect(name.output).toContain('--firehose must be a name of letters, digits, _ . - (1 to 128)');
    const block = await run([], { pipeline: { warehouse: 'postgres://u:hunter2@h/db' } });
    expect(block.code).toBe(2);
    expect(block.output).toContain('"pipeline.warehouse" holds a password');
    expect(block.output).not.toContain('hunter2');
    const unknown = await run([], { pipeline: { orderStrem: 'order_ds' } });
    expect(unknown.code).toBe(2);
    expect(unknown.output).toContain('unknown setting "pipeline.orderStrem"');
  });
});
