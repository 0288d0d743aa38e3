/**
 * Issue 24's figure of the Flink job alone: the engine bench's workload from memory (MemorySource,
 * not Kinesis) through the whole pipeline, outputs discarded, at parallelism 1 and 2, printed
 * beside each other. Each run is a JVM of its own (flink/…/MemoryBench.java); the figure is timed
 * from the first event emitted to the end of the job, so the JVM's start-up is left out.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  findOnPath,
  jobClasspath,
  readRuntimeClasspath,
  staleReason,
} from '../src/main/cli/flinkCommand';
import { workload } from './engine';

type Report = (name: string, value: string) => void;

const EVENTS = 200_000;
const TZ = 'Asia/Shanghai';
const FLINK = join(__dirname, '..', 'flink');

/** events/s printed by one MemoryBench run, or why there is none. */
function run(java: string, file: string, parallelism: number): Promise<string> {
  const classpath = jobClasspath(
    join(FLINK, 'target', 'livewall-flink.jar'),
    readRuntimeClasspath(join(FLINK, 'target', 'classpath.txt')),
  );
  const args = [
    `@${join(FLINK, 'conf', 'java-opens.args')}`,
    '-Xmx2g',
    `-Dlog4j.configurationFile=${join(FLINK, 'conf', 'log4j2-local.properties')}`,
    '-cp',
    classpath,
    'livewall.flink.MemoryBench',
    file,
    String(parallelism),
    TZ,
  ];
  return new Promise((done) => {
    const child = spawn(java, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (out = (out + b.toString()).slice(-4000)));
    child.on('error', (err) => done(`cannot start java: ${err.message}`));
    child.on('exit', (code) => {
      const m = /^events\/s (\d+)$/m.exec(out);
      done(
        m
          ? Number(m[1]).toLocaleString('en-US')
          : `failed (exit ${code}): ${out.trim().slice(-200)}`,
      );
    });
  });
}

export async function flinkMemoryBench(report: Report): Promise<void> {
  const java = findOnPath('java', process.env, process.env.JAVA_HOME);
  const mvn = findOnPath('mvn', process.env);
  if (!java || !mvn) {
    report('flink in memory: events/s (parallelism 1 | 2)', 'no java or mvn here');
    return;
  }
  if (staleReason(FLINK)) {
    const built = spawnSync(mvn, [
      '-q',
      '-B',
      '-f',
      join(FLINK, 'pom.xml'),
      'package',
      '-DskipTests',
    ]);
    if (built.status !== 0) {
      report(
        'flink in memory: events/s (parallelism 1 | 2)',
        `mvn package failed (${built.status})`,
      );
      return;
    }
  }
  const dir = await mkdtemp(join(tmpdir(), 'livewall-bench-flink-memory-'));
  try {
    const file = join(dir, 'events.jsonl');
    await writeFile(file, workload(EVENTS, Date.now()).join('\n') + '\n');
    const p1 = await run(java, file, 1);
    const p2 = await run(java, file, 2);
    report(`flink in memory: events/s (parallelism 1 | 2)`, `${p1} | ${p2}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
