import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { waitFor as poll } from './poll';

/*
 * Shared plumbing for the server helpers: spawn a child, keep its output for error messages,
 * wait until it is ready, stop it, and make sure nothing outlives the test process.
 *
 * Three layers of cleanup, because a failing or crashing test must not leak servers:
 * 1. handles are stopped by afterAll (see lifecycle.ts) or stopAll();
 * 2. on process 'exit' (normal end, process.exit, uncaught exception) live children get SIGKILL
 *    and temporary directories are removed, synchronously;
 * 3. a detached "reaper" process reads a pipe from us; when we die by a signal (even SIGKILL,
 *    where no 'exit' handler runs) the pipe closes and it kills what is left.
 */

const OUTPUT_LIMIT = 64 * 1024;

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the process could not be spawned at all (e.g. ENOENT). */
  error?: Error;
}

export interface ManagedProcess {
  readonly name: string;
  readonly child: ChildProcess;
  /** Resolves once the process has exited or failed to spawn; never rejects. */
  readonly exited: Promise<ExitInfo>;
  /** How the process ended, or undefined while it runs. */
  exitInfo(): ExitInfo | undefined;
  /** The last 64 KiB of stdout and stderr, interleaved. */
  output(): string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. Idempotent. */
  stop(graceMs?: number): Promise<void>;
}

export interface SpawnOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

const liveChildren = new Set<ChildProcess>();
const liveTempDirs = new Set<string>();

let reaper: { stdin: Socket } | undefined;

const REAPER_SCRIPT = `
const pids = new Set(), dirs = new Set();
let buffer = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  buffer += chunk;
  let newline;
  while ((newline = buffer.indexOf('\\n')) >= 0) {
    const line = buffer.slice(0, newline);
    buffer = buffer.slice(newline + 1);
    const op = line[0], arg = line.slice(1);
    if (op === '+') pids.add(Number(arg));
    else if (op === '-') pids.delete(Number(arg));
    else if (op === 'd') dirs.add(arg);
    else if (op === 'D') dirs.delete(arg);
  }
});
process.stdin.on('end', () => {
  for (const pid of pids) { try { process.kill(pid, 'SIGKILL'); } catch {} }
  // Give killed servers a moment to release their files before deleting them.
  setTimeout(() => {
    for (const dir of dirs) { try { require('fs').rmSync(dir, { recursive: true, force: true }); } catch {} }
  }, pids.size > 0 ? 500 : 0);
});
`;

function tellReaper(message: string): void {
  if (reaper === undefined) {
    // Detached: its own process group, so a Ctrl-C or a group kill does not take it down first.
    const child = spawn(process.execPath, ['-e', REAPER_SCRIPT], {
      detached: true,
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    child.on('error', () => undefined);
    child.unref();
    const stdin = child.stdin as Socket;
    stdin.on('error', () => undefined);
    stdin.unref();
    reaper = { stdin };
  }
  reaper.stdin.write(`${message}\n`);
}

let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Only synchronous work is possible here.
  process.on('exit', () => {
    for (const child of liveChildren) child.kill('SIGKILL');
    for (const dir of liveTempDirs) rmSync(dir, { recursive: true, force: true });
  });
}

function describeExit(exit: ExitInfo): string {
  if (exit.error !== undefined) return `failed to start: ${exit.error.message}`;
  return exit.signal !== null ? `killed by ${exit.signal}` : `exit code ${String(exit.code)}`;
}

/** An Error whose message ends with the process's recent output, which usually says why. */
export function errorWithOutput(message: string, proc: ManagedProcess): Error {
  const output = proc.output().trimEnd();
  return new Error(`${message}\n--- ${proc.name} output ---\n${output || '(none)'}\n---`);
}

/** Spawns a child that is killed on process exit, with its stdout and stderr captured. */
export function spawnManaged(
  name: string,
  command: string,
  args: readonly string[],
  options: SpawnOptions = {},
): ManagedProcess {
  installExitHook();
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const pid = child.pid;
  if (pid !== undefined) {
    liveChildren.add(child);
    tellReaper(`+${pid}`);
  }

  let output = '';
  const capture = (chunk: Buffer): void => {
    output += chunk.toString('utf8');
    if (output.length > OUTPUT_LIMIT) output = output.slice(-OUTPUT_LIMIT);
  };
  child.stdout?.on('data', capture);
  child.stderr?.on('data', capture);

  let exit: ExitInfo | undefined;
  const exited = new Promise<ExitInfo>((resolve) => {
    const finish = (info: ExitInfo): void => {
      if (exit !== undefined) return;
      exit = info;
      liveChildren.delete(child);
      if (pid !== undefined) tellReaper(`-${pid}`);
      resolve(info);
    };
    child.once('exit', (code, signal) => finish({ code, signal }));
    child.once('error', (error) => {
      // 'error' also fires when kill() fails on a live process; only a failed spawn ends it.
      if (child.pid === undefined) finish({ code: null, signal: null, error });
    });
  });

  const proc: ManagedProcess = {
    name,
    child,
    exited,
    exitInfo: () => exit,
    output: () => output,
    async stop(graceMs = 5_000): Promise<void> {
      if (exit !== undefined) return;
      child.kill('SIGTERM');
      const killTimer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      let hardTimer: NodeJS.Timeout | undefined;
      const gone = await Promise.race([
        exited.then(() => true),
        new Promise<false>((resolve) => {
          hardTimer = setTimeout(() => resolve(false), graceMs + 5_000);
        }),
      ]);
      clearTimeout(killTimer);
      clearTimeout(hardTimer);
      if (!gone) throw errorWithOutput(`${name} did not exit after SIGTERM and SIGKILL`, proc);
    },
  };
  return proc;
}

export interface WaitOptions {
  timeoutMs: number;
  /** Pause between checks (default 100 ms). */
  intervalMs?: number;
  /** Fail at once, with its output, if this process exits while we wait. */
  process?: ManagedProcess;
}

/** The polling helper of poll.ts, failing at once (with its output) if `process` ends meanwhile. */
export function waitFor(
  what: string,
  ready: () => boolean | Promise<boolean>,
  options: WaitOptions,
): Promise<void> {
  const { process: proc, ...rest } = options;
  if (proc === undefined) return poll(what, ready, rest);
  return poll(what, ready, {
    ...rest,
    abort: () => {
      const exit = proc.exitInfo();
      return exit === undefined
        ? undefined
        : errorWithOutput(`${what}: ${proc.name} ended (${describeExit(exit)})`, proc);
    },
    wake: proc.exited,
    timeoutError: (message) => errorWithOutput(message, proc),
  });
}

/** Runs a command to completion; rejects with its output unless it exits 0 within the bound. */
export async function runToCompletion(
  name: string,
  command: string,
  args: readonly string[],
  options: SpawnOptions & { timeoutMs: number },
): Promise<string> {
  const proc = spawnManaged(name, command, args, options);
  let timer: NodeJS.Timeout | undefined;
  const exit = await Promise.race([
    proc.exited,
    new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), options.timeoutMs);
    }),
  ]);
  clearTimeout(timer);
  if (exit === undefined) {
    await proc.stop(1_000);
    throw errorWithOutput(`${name} did not finish within ${options.timeoutMs} ms`, proc);
  }
  if (exit.code !== 0) throw errorWithOutput(`${name} failed (${describeExit(exit)})`, proc);
  return proc.output();
}

export interface TempDir {
  readonly path: string;
  /** Deletes the directory; it is also deleted on process exit if still there. */
  remove(): Promise<void>;
}

/** A fresh directory under the OS temp dir, removed on process exit at the latest. */
export async function makeTempDir(prefix: string): Promise<TempDir> {
  installExitHook();
  const path = await mkdtemp(join(tmpdir(), prefix));
  liveTempDirs.add(path);
  tellReaper(`d${path}`);
  return {
    path,
    async remove(): Promise<void> {
      await rm(path, { recursive: true, force: true, maxRetries: 3 });
      liveTempDirs.delete(path);
      tellReaper(`D${path}`);
    },
  };
}

/** Finds an executable on PATH, then in the sbin dirs a non-root PATH often lacks (mariadbd). */
export function findExecutable(name: string): string {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/local/sbin', '/usr/sbin'];
  for (const dir of dirs) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not here; keep looking.
    }
  }
  throw new Error(`${name} not found on PATH or in /usr/sbin (run .ci/run to install it)`);
}

/*
 * Registry of started servers and browsers, so stopAll() can end everything a test file started
 * (lifecycle.ts wires it to afterAll).
 */
const resources = new Map<symbol, { name: string; dispose: () => Promise<void> }>();

/** Registers `dispose` for stopAll(); returns a function that unregisters it. */
export function track(name: string, dispose: () => Promise<void>): () => void {
  const key = Symbol(name);
  resources.set(key, { name, dispose });
  return () => {
    resources.delete(key);
  };
}

/** Disposes everything still registered, concurrently; throws the first failure. */
export async function stopAll(): Promise<void> {
  const entries = [...resources.entries()];
  resources.clear();
  const results = await Promise.allSettled(entries.map(([, entry]) => entry.dispose()));
  const failure = results.find((result) => result.status === 'rejected');
  if (failure !== undefined) throw failure.reason;
}
