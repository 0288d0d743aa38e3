/** The per-row and per-table checks of `livewall load`: what the database would refuse is caught first. */
import { describe, expect, test } from 'vitest';
import { datetimeProblem, fitRow } from '../../../src/main/warehouse/rowFit';
import { checkTableFit, COLUMNS, type ColumnInfo } from '../../../src/main/warehouse/tableShape';
import { nextPositions, samePositions } from '../../../src/main/warehouse/loadPositions';
import { mergeSql } from '../../../src/main/warehouse/warehouseWriter';

const TYPES: Record<string, [string, number | null]> = {
  order_id: ['bigint', null],
  user_mail: ['character varying', 256],
  status: ['character varying', 64],
  good_count: ['integer', null],
  city: ['character varying', 256],
  amount: ['double precision', null],
  create_time: ['timestamp without time zone', null],
  update_time: ['timestamp without time zone', null],
  sex: ['character varying', 64],
  level: ['integer', null],
  op: ['character varying', 8],
  ts: ['bigint', null],
};

function columns(change: Partial<Record<string, Partial<ColumnInfo>>> = {}): ColumnInfo[] {
  return COLUMNS.map((c) => ({
    column_name: c,
    data_type: TYPES[c]?.[0] ?? '',
    character_maximum_length: TYPES[c]?.[1] ?? null,
    is_nullable: c === 'sex' || c === 'level' ? 'YES' : 'NO',
    column_default: null,
    ...change[c],
  }));
}

const fit = (() => {
  const f = checkTableFit('t', columns());
  if (!f.ok) throw new Error(f.error);
  return f.value;
})();

const row = {
  order_id: 7,
  user_mail: 'pony@qq.com',
  status: 'paid',
  good_count: 2,
  city: "Xi'an",
  amount: 99.5,
  create_time: '2026-11-24 10:00:01',
  update_time: '2026-11-24 10:02:13',
  sex: null,
  level: null,
  op: 'update',
  ts: 1732440133000,
};

describe('fitRow', () => {
  test('a contract 3 row becomes its values in column order', () => {
    const r = fitRow(JSON.stringify(row), fit, 'redshift');
    expect(r.ok && r.value.values).toEqual(COLUMNS.map((c) => row[c]));
  });

  test.each([
    ['not JSON', 'nope', /not JSON/],
    ['a broken contract', JSON.stringify({ ...row, op: 'merge' }), /"op"/],
    [
      '20 Chinese characters (60 bytes) fit',
      JSON.stringify({ ...row, city: '城'.repeat(20) }),
      null,
    ],
    [
      '86 Chinese characters are 258 bytes',
      JSON.stringify({ ...row, city: '城'.repeat(86) }),
      /258 bytes/,
    ],
    ['NUL', JSON.stringify({ ...row, user_mail: 'a\u0000b' }), /NUL/],
    ['a lone surrogate', JSON.stringify({ ...row, sex: '\ud800' }), /surrogate/],
    ['emoji are fine', JSON.stringify({ ...row, user_mail: '😀🎉@x.cn' }), null],
    ['no 30 February', JSON.stringify({ ...row, create_time: '2026-02-30 00:00:00' }), /real date/],
    [
      'an ISO T is not a datetime',
      JSON.stringify({ ...row, update_time: '2026-11-24T10:00:01' }),
      /datetime/,
    ],
    ['a fractional level', JSON.stringify({ ...row, level: 2.5 }), /"level"/],
    ['an INTEGER overflow', JSON.stringify({ ...row, good_count: 2 ** 31 }), /INTEGER/],
    ['a fractional ts', JSON.stringify({ ...row, ts: 1.5 }), /"ts"/],
  ])('%s', (_name, text, problem) => {
    const r = fitRow(text, fit, 'redshift');
    if (problem === null) expect(r.ok).toBe(true);
    else expect(!r.ok && r.error).toMatch(problem);
  });

  test('PostgreSQL counts characters where Redshift counts bytes', () => {
    const text = JSON.stringify({ ...row, city: '城'.repeat(86) });
    expect(fitRow(text, fit, 'postgres').ok).toBe(true);
  });

  test.each([
    ['2026-11-24 10:00:01', null],
    ['2026-11-24 10:00:01.123456', null],
    ['2028-02-29 23:59:59', null],
    ['2026-02-29 00:00:00', 'is not a real date and time'],
    ['0000-00-00 00:00:00', 'is not a real date and time'],
    ['2026-11-24 24:00:00', 'is not a real date and time'],
    ['now', 'is not a datetime "YYYY-MM-DD HH:MM:SS"'],
  ])('datetime %s', (text, problem) => {
    expect(datetimeProblem(text)).toBe(problem);
  });
});

describe('checkTableFit', () => {
  test.each([
    ['a missing column', columns({ ts: { column_name: 'ts_ms' } }), /no column "ts"/],
    ['a wrong type', columns({ city: { data_type: 'integer' } }), /"city" of t is INTEGER/],
    ['a NOT NULL level', columns({ level: { is_nullable: 'NO' } }), /"level" of t is NOT NULL/],
    [
      'an extra NOT NULL column without default',
      [
        ...columns(),
        {
          column_name: 'region',
          data_type: 'text',
          character_maximum_length: null,
          is_nullable: 'NO',
          column_default: null,
        },
      ],
      /"region" of t is NOT NULL without a default/,
    ],
    ['no table', [], /does not exist/],
  ])('refuses %s', (_name, cols, problem) => {
    const r = checkTableFit('t', cols);
    expect(!r.ok && r.error).toMatch(problem);
  });

  test('takes TEXT, NUMERIC and VARCHAR datetimes, and extra nullable columns', () => {
    const r = checkTableFit('t', [
      ...columns({
        user_mail: { data_type: 'text', character_maximum_length: null },
        amount: { data_type: 'numeric' },
        create_time: { data_type: 'character varying', character_maximum_length: 19 },
      }),
      {
        column_name: 'loaded_at',
        data_type: 'timestamp without time zone',
        character_maximum_length: null,
        is_nullable: 'YES',
        column_default: null,
      },
    ]);
    expect(r.ok && r.value.create_time).toEqual({ kind: 'text', maxLength: 19 });
  });
});

describe('nextPositions', () => {
  const committed = new Map([
    [
      's0',
      {
        sequenceNumber: '10',
        finished: false,
        rowsLoaded: 5,
        rowsSkipped: 1,
        newestArrivalMs: 100,
      },
    ],
  ]);

  test('a shard with buffered batches commits the end of them, not where the reader is', () => {
    const next = nextPositions(
      committed,
      {
        s0: { sequenceNumber: '12', finished: false },
        s1: { sequenceNumber: null, finished: false },
      },
      new Map([['s0', { lastSequenceNumber: '15', rows: 3, skipped: 1, newestArrivalMs: 200 }]]),
    );
    expect(next.get('s0')).toEqual({
      sequenceNumber: '15',
      finished: false,
      rowsLoaded: 8,
      rowsSkipped: 2,
      newestArrivalMs: 200,
    });
    expect(next.get('s1')).toEqual({
      sequenceNumber: null,
      finished: false,
      rowsLoaded: 0,
      rowsSkipped: 0,
      newestArrivalMs: null,
    });
  });

  test('a shard of a stream created again starts over where the reader says, not at the old number', () => {
    const next = nextPositions(
      committed,
      { s0: { sequenceNumber: null, finished: false } },
      new Map(),
    );
    expect(next.get('s0')?.sequenceNumber).toBeNull();
  });

  test('a finished shard with nothing buffered keeps its counts and says finished', () => {
    const next = nextPositions(
      committed,
      { s0: { sequenceNumber: '10', finished: true } },
      new Map(),
    );
    expect(next.get('s0')?.finished).toBe(true);
    expect(samePositions(next, committed)).toBe(false);
    expect(samePositions(nextPositions(committed, {}, new Map()), committed)).toBe(true);
  });
});

describe('mergeSql', () => {
  test('redshift: only DELETE … USING and INSERT … SELECT, no ON CONFLICT or RETURNING', () => {
    const sql = mergeSql('redshift', '"customer_order"').join(';\n');
    expect(sql).toMatch(/^DELETE FROM "customer_order" USING livewall_stage/);
    expect(sql).not.toMatch(/ON CONFLICT|RETURNING|MERGE/i);
  });

  test('postgres: deletes the delete rows and upserts the rest', () => {
    const sql = mergeSql('postgres', '"t"').join(';\n');
    expect(sql).toMatch(/livewall_stage\.op = 'delete'/);
    expect(sql).toMatch(/ON CONFLICT \(order_id\) DO UPDATE SET user_mail = EXCLUDED\.user_mail/);
  });
});
