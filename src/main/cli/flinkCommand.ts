/**
 * `livewall flink [same flags as engine] [--state-dir DIR] [--parallelism N]`: the Flink job
 * (flink/) in a local MiniCluster. It builds the jar with Maven when it is missing or older than
 * its sources, keeps checkpoints under --state-dir, resumes from the newest retained checkpoint
 * (or the savepoint of a clean stop) and stops with a savepoint on SIGINT/SIGTERM.
 * `--flink-classpath FILE` runs the same jar on another Flink runtime (e.g. 1.20.3, written by
 * flink/runtime-1.20.xml) instead of the one it is built against.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import type { StartPosition } from '../kinesis/startPosition';
import { redactUrl } from '../mysql/target';
import { checkpointJobs, newestCheckpoint, pruneSuperseded } from './flinkCheckpoints';
import { parseCommand, type CommandSpec } from './usage';
import { initialPassword } from '../mysql/password';
import { accountPasswordSources } from '../mysql/secretPassword';
import {
  COMMON_FLAGS,
  ENGINE_ENV,
  ENGINE_FLAGS,
  engineSettings,
  customerDirectory,
  numberOption,
  UsageError,
} from './common';

const NAME = 'livewall flink';

export const FLINK = {
  name: 'flink',
  brief: 'the same as engine, as the Flink job (local MiniCluster)',
  summary:
    'The same as engine, as the Flink job (flink/) in a local MiniCluster: builds the jar with Maven when it is missing or stale, resumes from the newest checkpoint, stops with a savepoint on Ctrl-C.',
  flags: {
    ...ENGINE_FLAGS,
    parallelism: { type: 'string', value: 'N', default: '1', help: "the job's parallelism" },
    'checkpoint-interval': {
      type: 'string',
      value: 'MS',
      default: '5000',
      help: 'how often Flink checkpoints',
    },
    'flink-classpath': {
      type: 'string',
      value: 'FILE',
      help: 'run on another Flink runtime (a classpath file, e.g. from flink/runtime-1.20.xml)',
    },
    ...COMMON_FLAGS,
  },
  env: [...ENGINE_ENV, ['JAVA_HOME', 'the JDK (else java on PATH)']],
  examples: ['livewall flink --parallelism 2 --endpoint http://127.0.0.1:4567'],
} as const satisfies CommandSpec;
const MAIN_CLASS = 'livewall.flink.LivewallJob';
/** How long a clean stop (savepoint, then exit) may take before the JVM is killed. */
const STOP_GRACE_MS = 60_000;

/** The repository (out/main/cli.js → ../..), where flink/ lives. */
export function repoRoot(): string {
  return resolve(__dirname, '..', '..');
}

/** The job's `--from`: trim, latest or epoch ms. */
export function fromFlag(start: StartPosition): string {
  if (start.type === 'LATEST') return 'latest';
  if (start.type === 'TRIM_HORIZON') return 'trim';
  return String(start.timestamp);
}

/** The job's row checks (flink/…/RowChecks.java): one database, and the future's tolerance. */
export function rowCheckFlags(database: string, maxFutureMs: number): string[] {
  return ['--database', database, '--max-future-hours', String(maxFutureMs / 3_600_000)];
}

/** `name` in JAVA_HOME/bin, else on PATH; null when there is none. */
export function findOnPath(
  name: string,
  env: NodeJS.ProcessEnv,
  home?: string | undefined,
): string | null {
  if (home) {
    const p = join(home, 'bin', name);
    if (existsSync(p)) return p;
  }
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const p = join(dir, name);
    if (existsSync(p)) return p;
  }
  return null;
}

/** Newest modification time (ms) of the files under a directory, 0 when there are none. */
function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** Why the jar must be built, or null when it is up to date. */
export function staleReason(flinkDir: string): string | null {
  const jar = join(flinkDir, 'target', 'livewall-flink.jar');
  const classpath = join(flinkDir, 'target', 'classpath.txt');
  if (!existsSync(jar) || !existsSync(classpath)) return `${jar} is missing`;
  const sources = Math.max(
    newestMtime(join(flinkDir, 'pom.xml')),
    newestMtime(join(flinkDir, 'src', 'main')),
  );
  return statSync(jar).mtimeMs < sources ? `${jar} is older than its sources` : null;
}

/**
 * The JVM's class path: Flink's own jars first, then the job's jar. A cluster loads
 * `org.apache.flink.*` parent-first, so its flink-connector-base (in flink-dist) wins over the
 * copy shaded into the jar; the local run must pick the same one.
 */
export function jobClasspath(jar: string, runtimeClasspath: string): string {
  const runtime = runtimeClasspath
    .trim()
    .split(delimiter)
    .filter((entry) => entry !== '');
  return [...runtime, jar].join(delimiter);
}

/** The runtime class path written in `file` (one line, as maven-dependency-plugin writes it). */
export function readRuntimeClasspath(file: string): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(
      `cannot read the Flink class path ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      { cause: err },
    );
  }
  if (text.trim() === '') throw new Error(`the Flink class path ${file} is empty`);
  return text;
}

/** Builds the jar with Maven (tests skipped), saying why on stderr. */
function buildJar(flinkDir: string, reason: string, say: (line: string) => void): void {
  const mvn = findOnPath('mvn', process.env);
  if (!mvn) {
    throw new Error(
      `${reason} and Maven is not installed: install it (apt-get install maven) or build flink/ elsewhere`,
    );
  }
  say(`${reason}: building it with mvn -q -f flink/pom.xml package -DskipTests (about a minute)`);
  const built = spawnSync(
    mvn,
    ['-q', '-B', '-f', join(flinkDir, 'pom.xml'), 'package', '-DskipTests'],
    {
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  if (built.status !== 0)
    throw new Error(`building the Flink job failed (mvn exit ${built.status})`);
}

export async function flink(args: string[]): Promise<number> {
  const { values } = parseCommand(FLINK, args);
  const settings = engineSettings('flink', values);
  const { config, source, metrics, dwd, start, aws } = settings;
  // --lookup-bound is accepted and checked for the engine's flags' sake: the job's lookup join
  // waits for each (cached) answer.
  const parallelism = numberOption(values.parallelism, 'parallelism', 1, 64) ?? 1;
  const checkpointMs = numberOption(
    values['checkpoint-interval'],
    'checkpoint-interval',
    100,
    3_600_000,
  );
  const say = (line: string): void => void process.stderr.write(`${NAME}: ${line}\n`);
  let otherRuntime: string | null = null;
  if (values['flink-classpath']) {
    try {
      otherRuntime = readRuntimeClasspath(resolve(values['flink-classpath']));
    } catch (err) {
      throw new UsageError((err as Error).message, { cause: err });
    }
  }

  if (values.customers) {
    // The same checks and messages as `livewall engine` before a JVM is started for nothing.
    const dir = await customerDirectory(values.customers, say, {
      secretId: values['customers-secret'],
      aws,
    });
    await dir.close();
  }
  const java = findOnPath('java', process.env, process.env.JAVA_HOME);
  if (!java) {
    throw new Error(
      'Java is not installed: install a JDK 11 or newer (apt-get install openjdk-17-jdk-headless) or set JAVA_HOME',
    );
  }
  const flinkDir = join(repoRoot(), 'flink');
  const reason = staleReason(flinkDir);
  if (reason) buildJar(flinkDir, reason, say);

  const stateDir = resolve(
    values['state-dir'] ?? '.livewall',
    'flink',
    source.replace(/[^A-Za-z0-9_.-]/g, '_'),
  );
  const restore = newestCheckpoint(stateDir);
  const jobArgs = [
    '--source',
    source,
    '--metrics',
    metrics,
    '--dwd',
    dwd ?? '',
    '--from',
    fromFlag(start),
    '--time-zone',
    config.timeZone,
    '--db-time-zone',
    settings.dbTimeZone,
    '--state-dir',
    stateDir,
    '--parallelism',
    String(parallelism),
    '--stop-on-stdin',
    ...rowCheckFlags(settings.database, settings.maxFutureMs),
  ];
  // The URL goes as given: a password in it was warned about; the usual one stays in the env.
  if (values.customers) jobArgs.push('--customers', values.customers);
  if (aws.region) jobArgs.push('--region', aws.region);
  if (aws.endpoint) jobArgs.push('--endpoint', aws.endpoint);
  if (aws.profile) jobArgs.push('--profile', aws.profile);
  if (settings.retentionDays) jobArgs.push('--retention-days', String(settings.retentionDays));
  if (settings.emitIntervalMs) jobArgs.push('--emit-interval', String(settings.emitIntervalMs));
  if (checkpointMs) jobArgs.push('--checkpoint-interval', String(checkpointMs));
  if (restore) jobArgs.push('--restore', restore);

  // Another runtime's jars (--flink-classpath), else those the jar was built against.
  const runtimeClasspath =
    otherRuntime ?? readRuntimeClasspath(join(flinkDir, 'target', 'classpath.txt'));
  const jvmArgs = [
    `@${join(flinkDir, 'conf', 'java-opens.args')}`,
    // The MiniCluster holds the job, its state and the Kinesis writers' buffers (an OOM seen on
    // restore was the connector's key-length bug, not the heap: see identity.ts asciiKey).
    '-Xmx2g',
    // A Kinesis-compatible endpoint such as kinesalite answers JSON, not CBOR.
    ...(aws.endpoint?.startsWith('http://') ? ['-Daws.cborEnabled=false'] : []),
    `-Dlog4j.configurationFile=${join(flinkDir, 'conf', 'log4j2-local.properties')}`,
    '-cp',
    jobClasspath(join(flinkDir, 'target', 'livewall-flink.jar'), runtimeClasspath),
    MAIN_CLASS,
  ];
  say(
    `${restore ? `resuming from ${restore}` : `starting afresh (from ${values.from ?? 'trim'})`}; reading ${source}, metrics to ${metrics}${dwd ? `, wide rows to ${dwd}` : ''}${values.customers ? `, customers from ${redactUrl(values.customers)}` : ', no customer dimension (levels are null)'}; checkpoints in ${stateDir}${values['flink-classpath'] ? `; Flink from ${values['flink-classpath']}` : ''}`,
  );
  // Earlier runs' checkpoints go once this run has one of its own (flinkCheckpoints.ts).
  const earlier = checkpointJobs(stateDir);
  const pruner = setInterval(
    () => {
      try {
        const removed = pruneSuperseded(stateDir, earlier);
        if (removed.length === 0) return;
        say(`removed ${removed.length} checkpoint(s) and savepoint(s) of earlier runs`);
      } catch (err) {
        say(`cannot remove earlier runs' checkpoints: ${(err as Error).message}`);
      }
      clearInterval(pruner);
    },
    Math.min(checkpointMs ?? 5_000, 10_000),
  );
  pruner.unref();
  // Passwords stay in the environment the JVM inherits, never on its command line. The job reads
  // the customers' password under the client's names (its one account is the customers').
  const customersPassword = values.customers
    ? await initialPassword(
        { user: '', host: '', port: 0 },
        accountPasswordSources('customers', {
          secretId: values['customers-secret'],
          aws,
        }).filter((s) => !s.mysqlOnly),
      )
    : null;
  const child = spawn(java, [...jvmArgs, ...jobArgs], {
    stdio: ['pipe', 'inherit', 'inherit'],
    env: customersPassword
      ? {
          ...process.env,
          LIVEWALL_MYSQL_PASSWORD: customersPassword.password,
          PGPASSWORD: customersPassword.password,
        }
      : process.env,
  });
  child.stdin.on('error', () => undefined);
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    say('stopping the job with a savepoint');
    child.stdin.write('stop\n');
    setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS).unref();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const code = await new Promise<number | null>((done) => {
    child.on('error', (err) => {
      say(`cannot start ${java}: ${err.message}`);
      done(1);
    });
    child.on('exit', (c) => done(c));
  });
  clearInterval(pruner);
  process.off('SIGINT', stop);
  process.off('SIGTERM', stop);
  if (stopping) {
    say('stopped');
    return 0;
  }
  say(`the Flink job ended (exit ${code ?? 'by a signal'})`);
  return 1;
}
