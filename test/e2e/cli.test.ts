/**
 * What a new user meets in the terminal, through the built bin/livewall: the version, one help per
 * command read from the same table as its parser, a suggestion for a mistyped flag, the config
 * file named on the first line, `streams create`, and a one-shot reader on a missing stream.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListStreamsCommand } from '@aws-sdk/client-kinesis';
import { describe, expect, onTestFinished, test } from 'vitest';
import { helpFor } from '../../src/main/cli/index';
import { cliEnv, ROOT, runLivewall, spawnLivewall } from '../support/livewall';
import { freePort } from '../support/ports';
import { waitFor } from '../support/processes';
import { useKinesalite } from '../support/lifecycle';
import { kinesisClient } from '../support/kinesalite';

const kinesalite = useKinesalite();
const env = cliEnv();

describe('livewall in the terminal', () => {
  test.each([['--version'], ['-v']])("%s prints package.json's version", async (flag) => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      version: string;
    };
    const r = await runLivewall([flag], { env });
    expect(r.code).toBe(0);
    expect(r.output.trim()).toBe(`livewall ${pkg.version}`);
  });

  const MAIN_FLAGS: Record<string, string[]> = {
    web: ['--port', '--host', '--source', '--stream', '--demo-rate'],
    tail: ['--from', '--limit', '--raw', '--format'],
    simulate: ['--mysql', '--orders', '--rate', '--lifecycle', '--create-table'],
    cdc: ['--mysql', '--stream', '--position-file', '--from-current'],
    engine: ['--source', '--metrics', '--dwd', '--customers', '--state-dir'],
    flink: ['--parallelism', '--checkpoint-interval', '--flink-classpath'],
    health: ['--json', '--trace', '--mysql', '--max-lag'],
    streams: ['--shards', 'create'],
    load: ['--warehouse', '--dwd-stream', '--create-table', '--buffer-interval'],
    up: ['--port', '--rate', '--flink', '--fresh', '--state-dir'],
  };

  test('each command has its own help, naming its flags, the environment and an example', async () => {
    const seen = new Set<string>();
    for (const [command, flags] of Object.entries(MAIN_FLAGS)) {
      const viaFlag = await runLivewall([command, '--help'], { env });
      expect(viaFlag.code, viaFlag.output).toBe(0);
      expect(viaFlag.output).toBe(helpFor(command)); // `livewall help <command>` prints helpFor
      expect(viaFlag.output).toMatch(new RegExp(`^Usage: livewall ${command} `));
      for (const f of flags) expect(viaFlag.output, `${command} names ${f}`).toContain(f);
      expect(viaFlag.output).toMatch(/\nEnvironment:\n/);
      expect(viaFlag.output).toMatch(/\nExamples?:\n {2}livewall /);
      seen.add(viaFlag.output);
    }
    expect(seen.size).toBe(Object.keys(MAIN_FLAGS).length);
    // Config keys and defaults come with the flags that override them.
    const web = await runLivewall(['web', '--help'], { env });
    expect(web.output).toMatch(/--port N +the port \(default 3008; config web\.port\)/);
    const health = await runLivewall(['help', 'health'], { env });
    expect(health.output).toContain('LIVEWALL_CUSTOMERS_PASSWORD');
  });

  test('a mistyped flag or command names the closest one, exit 2', async () => {
    const flag = await runLivewall(['tail', 'metric_ds', '--lmit', '3'], { env });
    expect(flag.code).toBe(2);
    expect(flag.output).toContain('unknown option --lmit: did you mean --limit?');
    expect(flag.output).toContain('livewall tail --help');
    const command = await runLivewall(['helth'], { env });
    expect(command.code).toBe(2);
    expect(command.output).toContain('unknown command "helth": did you mean health?');
  });

  test('every command names the config file it read, or that there is none', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lwcli-'));
    const file = join(dir, 'wall.json');
    writeFileSync(file, JSON.stringify({ source: 'kinesis', stream: 'nothing_here' }));
    const named = await runLivewall(
      ['health', '--config', file, '--endpoint', kinesalite().endpoint],
      { env, cwd: dir },
    );
    expect(named.output.split('\n')[0]).toBe(`livewall health: config ${file}`);
    const viaEnv = await runLivewall(['tail', 'x', '--endpoint', kinesalite().endpoint], {
      env: { ...env, LIVEWALL_CONFIG: file },
      cwd: dir,
    });
    expect(viaEnv.output.split('\n')[0]).toBe(`livewall tail: config ${file}`);
    const none = await runLivewall(['tail', 'x', '--endpoint', kinesalite().endpoint], {
      env,
      cwd: dir,
    });
    expect(none.output.split('\n')[0]).toBe(
      `livewall tail: no config file (${join(dir, 'livewall.config.json')} does not exist; defaults apply)`,
    );
    const missing = await runLivewall(['tail', 'x', '--config', join(dir, 'nope.json')], {
      env,
      cwd: dir,
    });
    expect(missing.code).toBe(2);
    expect(missing.output.split('\n')[0]).toContain(
      `${join(dir, 'nope.json')} (named by --config) does not exist`,
    );
  });

  test('streams create makes the three pipeline streams, and a second run changes nothing', async () => {
    const endpoint = kinesalite().endpoint;
    const first = await runLivewall(['streams', 'create', '--endpoint', endpoint], { env });
    expect(first.code, first.output).toBe(0);
    for (const s of ['order_ds', 'metric_ds', 'dwd_customer_order_ds'])
      expect(first.output).toContain(`${s}: created with 1 shard`);
    const again = await runLivewall(['streams', 'create', '--endpoint', endpoint], { env });
    expect(again.code).toBe(0);
    expect(again.output.match(/already exists/g)).toHaveLength(3);
    const two = await runLivewall(
      ['streams', 'create', '--shards', '2', 'cli_extra_ds', '--endpoint', endpoint],
      { env },
    );
    expect(two.output).toContain('cli_extra_ds: created with 2 shards');
    const listed = await kinesisClient(endpoint).send(new ListStreamsCommand({}));
    expect(listed.StreamNames).toEqual(
      expect.arrayContaining(['order_ds', 'metric_ds', 'dwd_customer_order_ds', 'cli_extra_ds']),
    );
    const bad = await runLivewall(['streams', 'delete'], { env });
    expect(bad.code).toBe(2);
  });

  test('tail on a missing stream exits 1 naming it as missing', async () => {
    const r = await runLivewall(['tail', 'no_such_stream', '--endpoint', kinesalite().endpoint], {
      env,
    });
    expect(r.code).toBe(1);
    expect(r.output).toContain('stream "no_such_stream" does not exist');
    expect(r.output).toContain('livewall streams create no_such_stream');
  });

  test('web applies a changed config file without a restart, and keeps serving through a bad one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lwweb-'));
    const file = join(dir, 'livewall.config.json');
    writeFileSync(file, JSON.stringify({ demoRate: 2 }));
    const port = await freePort();
    const web = spawnLivewall(['web', '--port', String(port)], { cwd: dir, env });
    onTestFinished(() => web.stop());
    await waitFor('web to serve', () => /2 demo orders\/s/.test(web.output()), {
      timeoutMs: 20_000,
      process: web,
    });
    expect(web.output().split('\n')[0]).toBe(`livewall web: config ${file}`);
    writeFileSync(file, JSON.stringify({ demoRate: 7 }));
    await waitFor('the change to apply', () => /7 demo orders\/s/.test(web.output()), {
      timeoutMs: 20_000,
      process: web,
    });
    expect(web.output()).toContain(`livewall web: config ${file} changed: applying it`);
    writeFileSync(file, '{ "demoRate": ');
    await waitFor('the bad file to be named', () => /is not valid JSON/.test(web.output()), {
      timeoutMs: 20_000,
      process: web,
    });
    expect(web.output()).toContain('the screen keeps its running settings until it is fixed');
    const res = await fetch(`http://127.0.0.1:${port}/`);
    expect(res.status).toBe(200);
  });

  test('engine on missing streams keeps running and says they are missing, not a permission', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lwengine-'));
    const engine = spawnLivewall(
      [
        'engine',
        '--source',
        'gone_order_ds',
        '--metrics',
        'gone_metric_ds',
        '--dwd',
        '',
        '--state-dir',
        dir,
        '--endpoint',
        kinesalite().endpoint,
      ],
      { cwd: dir, env },
    );
    onTestFinished(() => engine.stop());
    await waitFor(
      'the engine to name the missing streams',
      () =>
        /stream "gone_metric_ds" does not exist: create it with livewall streams create gone_metric_ds/.test(
          engine.output(),
        ) && /Stream "gone_order_ds" was not found/.test(engine.output()),
      { timeoutMs: 30_000, process: engine },
    );
    expect(engine.output()).not.toContain('AddTagsToStream');
    expect(engine.exitInfo()).toBeUndefined();
  });
});
