/**
 * cdc's binlog position: where the server is now, whether a stored position is still on the
 * server, and the durable file it is kept in between runs.
 */
import { readFile } from 'node:fs/promises';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { writeDurably } from '../lib/durableFile';

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

/** What the position file holds. `server` and `database` are there for people reading it. */
export interface StoredPosition extends BinlogPosition {
  server: string;
  database: string;
  savedAt: string;
}

/**
 * The position file. save() writes a temporary file, fsyncs it, renames it over the old one and
 * fsyncs the folder, so a crash at any moment leaves either the old position or the new one.
 */
export class PositionStore {
  private writing: Promise<void> = Promise.resolve();
  private latest: StoredPosition | null = null;

  constructor(readonly path: string) {}

  /** The stored position; null when there is none yet. Throws on an unreadable file. */
  async load(): Promise<StoredPosition | null> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
    const parsed = parseStoredPosition(text);
    if (!parsed) {
      throw new Error(
        `${this.path} is not a cdc position file: move it away, or start afresh with --from-current`,
      );
    }
    return parsed;
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

export function parseStoredPosition(text: string): StoredPosition | null {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return null;
  }
  const o = v as Partial<StoredPosition> | null;
  if (
    typeof o !== 'object' ||
    o === null ||
    typeof o.file !== 'string' ||
    !o.file ||
    typeof o.position !== 'number' ||
    !Number.isInteger(o.position) ||
    o.position < 0
  ) {
    return null;
  }
  return {
    file: o.file,
    position: o.position,
    server: String(o.server ?? ''),
    database: String(o.database ?? ''),
    savedAt: String(o.savedAt ?? ''),
  };
}
