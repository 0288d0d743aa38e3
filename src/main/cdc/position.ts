/**
 * cdc's binlog position: where the server is now, whether a stored position is still on the
 * server, and the durable file it is kept in between runs.
 */
import type { Connection, RowDataPacket } from 'mysql2/promise';
import * as v from 'valibot';
import type { Result } from '@shared/result';
import { fields, parseWith } from '@shared/schemaKit';
import { readStateFile, writeDurably } from '../lib/durableFile';

/** A point between two transactions in the binlog: the next transaction starts here. */
export interface BinlogPosition {
  file: string;
  position: number;
}

export const formatPosition = (p: BinlogPosition): string => `${p.file}:${p.position}`;

/**
 * The statement that shows the current binlog position: MySQL 8.2 renamed SHOW MASTER STATUS to
 * SHOW BINARY LOG STATUS (and 8.4 removed the old name); MariaDB keeps SHOW MASTER STATUS.
 */
export function binlogStatusStatement(version: string): string {
  if (/mariadb/i.test(version)) return 'SHOW MASTER STATUS';
  const [major = 0, minor = 0] = version.split(/[.-]/).map(Number);
  return major > 8 || (major === 8 && minor >= 2) ? 'SHOW BINARY LOG STATUS' : 'SHOW MASTER STATUS';
}

/** The server's current end of the binlog. */
export async function currentPosition(conn: Connection): Promise<BinlogPosition> {
  const [[version]] = (await conn.query<RowDataPacket[]>('SELECT VERSION() AS v')) as [
    RowDataPacket[],
    unknown,
  ];
  const [rows] = await conn.query<RowDataPacket[]>(binlogStatusStatement(String(version?.v)));
  const row = rows[0];
  if (!row) throw new Error('the server shows no binlog position (is binary logging on?)');
  return { file: String(row.File), position: Number(row.Position) };
}

export interface BinaryLog {
  name: string;
  size: number;
}

export async function binaryLogs(conn: Connection): Promise<BinaryLog[]> {
  const [rows] = await conn.query<RowDataPacket[]>('SHOW BINARY LOGS');
  return rows.map((r) => ({ name: String(r.Log_name), size: Number(r.File_size) }));
}

/** Null when the server still holds `p`, else the sentence for a purged position. */
export function purgedRefusal(
  p: BinlogPosition,
  logs: readonly BinaryLog[],
  positionFile: string,
  stream: string,
): string | null {
  const log = logs.find((l) => l.name === p.file);
  if (log && p.position <= log.size) return null;
  const oldest = logs[0]?.name;
  return `The stored binlog position ${formatPosition(p)} (in ${positionFile}) is gone from the server${oldest ? ` (its oldest binlog is now ${oldest})` : ''}, so the changes since then cannot be read ("Could not find first log file name in binary log index file"): re-sync ${stream} from the table if you need them, then run cdc again with --from-current to start at the server's current position, and keep binlogs longer (binlog_expire_logs_seconds, or binlog retention hours on RDS).`;
}

const label = v.optional(
  v.pipe(
    v.unknown(),
    v.transform((x) => String(x ?? '')),
  ),
  '',
);

/** What the position file holds. `server` and `database` are there for people reading it. */
const storedPosition = fields({
  file: v.pipe(
    v.string('"file" must be a binlog file name'),
    v.nonEmpty('"file" must be a binlog file name'),
  ),
  position: v.pipe(
    v.number('"position" must be a whole number'),
    v.integer('"position" must be a whole number'),
    v.minValue(0, '"position" must be a whole number'),
  ),
  server: label,
  database: label,
  savedAt: label,
});
export type StoredPosition = v.InferOutput<typeof storedPosition>;

/**
 * The position file. save() writes a temporary file, fsyncs it, renames it over the old one and
 * fsyncs the folder, so a crash at any moment leaves either the old position or the new one.
 */
export class PositionStore {
  private writing: Promise<void> = Promise.resolve();
  private latest: StoredPosition | null = null;

  constructor(readonly path: string) {}

  /** The stored position; null when there is none yet. A StateFileError on an unusable file. */
  load(): Promise<StoredPosition | null> {
    return readStateFile(
      this.path,
      parseStoredPosition,
      (reason) =>
        `${this.path} is not a cdc position file (${reason}): move it away, or start afresh with --from-current`,
      'the position file',
    );
  }

  /** Saves `p` durably; saves are serialized and a burst of them collapses to the newest. */
  save(p: StoredPosition): Promise<void> {
    this.latest = p;
    this.writing = this.writing.then(async () => {
      const next = this.latest;
      if (next === null) return;
      this.latest = null;
      await writeDurably(this.path, `${JSON.stringify(next)}\n`);
    });
    return this.writing;
  }
}

/** The position file's content (JSON text or a value). */
export function parseStoredPosition(input: unknown): Result<StoredPosition> {
  return parseWith(storedPosition, input, 'position file');
}
