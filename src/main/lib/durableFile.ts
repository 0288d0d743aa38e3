/** Files that survive a crash at any moment: the old content or the new, never half of one. */
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { Result } from '@shared/result';
import { dirname } from 'node:path';

/** Writes a temporary file, fsyncs it, renames it over the old one and fsyncs the folder. */
export async function writeDurably(path: string, text: string): Promise<void> {
  await (await writePending(path, [text])).commit();
}

/** A file written whole under a temporary name: commit() puts it in place, discard() drops it. */
export interface PendingFile {
  commit(): Promise<void>;
  discard(): Promise<void>;
}

/**
 * Writes `lines` (each followed by a newline) to a temporary file beside `path` and fsyncs it,
 * a megabyte at a time, so a state of any size is never one string in memory. The lines may be
 * produced lazily: the generator runs between the writes.
 */
export async function writePending(path: string, lines: Iterable<string>): Promise<PendingFile> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const temp = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    const file = await open(temp, 'w', 0o600);
    try {
      let parts: string[] = [];
      let size = 0;
      for (const line of lines) {
        parts.push(line, '\n');
        size += line.length + 1;
        if (size >= 1 << 20) {
          await file.write(parts.join(''));
          parts = [];
          size = 0;
        }
      }
      if (parts.length > 0) await file.write(parts.join(''));
      await file.sync();
    } finally {
      await file.close();
    }
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
  return {
    commit: async () => {
      try {
        await rename(temp, path);
      } catch (err) {
        await rm(temp, { force: true });
        throw err;
      }
      await syncFolder(dir);
    },
    discard: () => rm(temp, { force: true }),
  };
}

/** The rename is durable only once the folder's entry is on disk. */
async function syncFolder(dir: string): Promise<void> {
  const folder = await open(dir, 'r');
  try {
    await folder.sync();
  } catch {
    // Some file systems refuse fsync on a directory; the rename has still happened.
  } finally {
    await folder.close();
  }
}

/** The lines of a file, read as a stream (a state file may be larger than a string can be). */
export async function* readLines(path: string): AsyncGenerator<string> {
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
  try {
    for await (const line of lines) if (line !== '') yield line;
  } finally {
    lines.close();
  }
}

/** A state file that exists but cannot be used; the message says what to do. */
export class StateFileError extends Error {
  override readonly name = 'StateFileError';
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Parses a state file's text: JSON, then `parse` (a schema's parser). `refusal` words the error
 * from the reason, e.g. "not JSON".
 */
export function parseStateText<T>(
  path: string,
  text: string,
  parse: (value: unknown) => Result<T>,
  refusal: (reason: string) => string,
): T {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new StateFileError(path, refusal('not JSON'));
  }
  const r = parse(value);
  if (!r.ok) throw new StateFileError(path, refusal(r.error));
  return r.value;
}

/** Reads and parses a state file: null when there is none yet, else its value or a StateFileError. */
export async function readStateFile<T>(
  path: string,
  parse: (value: unknown) => Result<T>,
  refusal: (reason: string) => string,
  what = 'the state file',
): Promise<T | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new StateFileError(path, `cannot read ${what} ${path}: ${(err as Error).message}`);
  }
  return parseStateText(path, text, parse, refusal);
}
