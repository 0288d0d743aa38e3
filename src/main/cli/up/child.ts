/**
 * One part of `livewall up` as a child process: its output appended to its own log file and kept
 * (the last 64 KiB) in memory, so `up` can wait for its ready line and say why it stopped. Each
 * child gets its own process group: the terminal's Ctrl-C reaches `up` alone, which then stops the
 * parts in order (orders before cdc, cdc before the engine, the databases last).
 */
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { sleep } from '../../lib/backoff';

const KEEP = 64 * 1024;

export interface Child {
  readonly name: string;
  readonly log: string;
  /** The exit code (or the signal's name) once it ended, for any reason. */
  readonly exited: Promise<number | string>;
  isRunning(): boolean;
  output(): string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once it has ended. */
  stop(graceMs: number): Promise<void>;
}

export function startChild(
  name: string,
  command: string,
  args: readonly string[],
  opts: { env: NodeJS.ProcessEnv; log: string; cwd?: string },
): Child {
  const log = createWriteStream(opts.log, { flags: 'a' });
  log.write(`--- ${new Date().toISOString()} ${name} starts\n`);
  const child = spawn(command, args, {
    env: opts.env,
    ...(opts.cwd ? { cwd: opts.cwd } : {}),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let kept = '';
  const capture = (chunk: Buffer): void => {
    log.write(chunk);
    kept = (kept + chunk.toString('utf8')).slice(-KEEP);
  };
  child.stdout.on('data', capture);
  child.stderr.on('data', capture);
  let running = true;
  const exited = new Promise<number | string>((resolve) => {
    child.once('error', (err) => {
      running = false;
      capture(Buffer.from(`${name}: ${err.message}\n`));
      resolve(1);
    });
    child.once('exit', (code, signal) => {
      running = false;
      log.end(`--- ${new Date().toISOString()} ${name} ended (${code ?? signal})\n`);
      resolve(code ?? signal ?? 1);
    });
  });
  return {
    name,
    log: opts.log,
    exited,
    isRunning: () => running,
    output: () => kept,
    async stop(graceMs) {
      if (!running) return;
      child.kill('SIGTERM');
      const ended = await Promise.race([exited.then(() => true), sleep(graceMs).then(() => false)]);
      if (!ended) {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}

/** Resolves once `ready(output)` holds; rejects with the child's last lines when it ends first. */
export async function untilReady(
  child: Child,
  ready: (output: string) => boolean,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ready(child.output())) {
    if (!child.isRunning()) throw new Error(`${child.name} stopped: ${lastLines(child.output())}`);
    if (Date.now() > deadline) {
      throw new Error(
        `${child.name} was not ready within ${timeoutMs / 1000} s (see ${child.log}): ${lastLines(child.output())}`,
      );
    }
    await sleep(100);
  }
}

/** The last few lines of a child's output, for a one-line reason. */
export function lastLines(output: string, n = 3): string {
  const lines = output.trim().split('\n').filter(Boolean);
  return lines.slice(-n).join(' / ') || '(no output)';
}
