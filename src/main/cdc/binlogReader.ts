/**
 * Reads one table's row changes from the binlog with zongji and hands them on a whole committed
 * transaction at a time, in Maxwell's shape, with the position right after its commit.
 *
 * zongji quirks handled here: its resume pair (options.filename/position) is only a safe
 * transaction boundary when read synchronously inside the 'binlog' handler of the commit event;
 * it emits 'error' once per connection (binlog and control), so only the first one counts; and it
 * emits events of other tables unless told not to, which would also make it query their columns
 * (needing SELECT on them), so it is told to include only our table.
 */
import ZongJi, {
  type AnyBinlogEvent,
  type QueryEvent,
  type RowsEvent,
  type UpdateRowsEvent,
  type WriteRowsEvent,
  type XidEvent,
} from '@vlasky/zongji';
import type { ConnectionOptions } from 'mysql2';
import type { ChangeEvent } from '@shared/contracts';
import { changedColumns, maxwellRow, transactionEvents, type RowChange } from './maxwell';
import type { BinlogPosition } from './position';

export interface CommittedTransaction {
  events: ChangeEvent[];
  /** Where the next transaction starts: resume here to read nothing of this one again. */
  position: BinlogPosition;
}

export interface BinlogReaderOptions {
  connection: ConnectionOptions;
  /** This reader's replica id; must differ from the server's and every other replica's. */
  serverId: number;
  start: BinlogPosition;
  database: string;
  table: string;
  onTransaction: (txn: CommittedTransaction) => void;
  /** The reader has stopped on this error (called at most once, never after stop()). */
  onError: (err: Error) => void;
}

export interface BinlogReader {
  /** Resolves once zongji is connected and about to stream; rejects if it failed before. */
  readonly ready: Promise<void>;
  stop(): void;
}

const ROW_TYPES = { WriteRows: 'insert', UpdateRows: 'update', DeleteRows: 'delete' } as const;

export function startBinlogReader(opts: BinlogReaderOptions): BinlogReader {
  const zongji = new ZongJi({ ...opts.connection, dateStrings: true });
  let rows: RowChange[] = [];
  let stopped = false;
  let isReady = false;
  let rejectReady: (err: Error) => void = () => undefined;
  const ready = new Promise<void>((resolve, reject) => {
    rejectReady = reject;
    zongji.once('ready', () => {
      isReady = true;
      resolve();
    });
  });
  ready.catch(() => undefined); // a caller that never awaits it must not see an unhandled rejection

  const commit = (xid: number | undefined): void => {
    // zongji moved its resume pair to this commit's end just before emitting the event.
    const position = {
      file: String(zongji.options.filename),
      position: Number(zongji.options.position),
    };
    const events = transactionEvents(
      opts.database,
      opts.table,
      rows,
      xid,
      `${position.file}:${position.position}`,
    );
    rows = [];
    opts.onTransaction({ events, position });
  };

  zongji.on('binlog', (event: AnyBinlogEvent) => {
    if (stopped) return;
    const name = event.getTypeName();
    if (name === 'WriteRows' || name === 'UpdateRows' || name === 'DeleteRows') {
      collect(event as RowsEvent, ROW_TYPES[name]);
    } else if (name === 'Xid') {
      const xid = (event as XidEvent).xid;
      commit(typeof xid === 'string' ? Number(xid) : xid);
    } else if (name === 'BinlogCheckpoint' && rows.length === 0) {
      // MariaDB writes these on its own, some time after a rotation; moving past them keeps the
      // stored position at the end of the binlog when the table is quiet.
      commit(undefined);
    } else if (name === 'Query') {
      const query = (event as QueryEvent).query.trim().toUpperCase();
      // COMMIT ends a transaction on a non-transactional table; DDL stands alone. Both move the
      // position on. BEGIN and XA statements do not end anything.
      if (query === 'COMMIT' || (rows.length === 0 && !/^(BEGIN|XA |SAVEPOINT)/.test(query))) {
        commit(undefined);
      }
    }
  });

  function collect(event: RowsEvent, type: 'insert' | 'update' | 'delete'): void {
    const table = event.tableMap[event.tableId];
    if (!table || table.parentSchema !== opts.database || table.tableName !== opts.table) return;
    const columns = table.columns;
    const ts = Math.floor(event.timestamp / 1000);
    if (type === 'update') {
      for (const r of (event as UpdateRowsEvent).rows) {
        const before = maxwellRow(r.before, columns);
        const data = maxwellRow(r.after, columns);
        rows.push({ type, ts, data, old: changedColumns(before, data) });
      }
    } else {
      for (const r of (event as WriteRowsEvent).rows) {
        rows.push({ type, ts, data: maxwellRow(r, columns) });
      }
    }
  }

  zongji.on('error', (err: Error) => {
    if (stopped) return;
    stopped = true;
    zongji.stop();
    if (!isReady) rejectReady(err);
    else opts.onError(err);
  });

  zongji.start({
    serverId: opts.serverId,
    filename: opts.start.file,
    position: opts.start.position,
    includeSchema: { [opts.database]: [opts.table] },
    // Heartbeats and GTID bookkeeping are not needed; rows, commits, DDL and rotations are.
    includeEvents: [
      'rotate',
      'tablemap',
      'writerows',
      'updaterows',
      'deleterows',
      'xid',
      'query',
      'binlogcheckpoint',
    ],
  });

  return {
    ready,
    stop(): void {
      if (stopped) return;
      stopped = true;
      rejectReady(new Error('stopped'));
      zongji.stop();
    },
  };
}
