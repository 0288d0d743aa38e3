import { describe, expect, test } from 'vitest';
import {
  changedColumns,
  maxwellRow,
  maxwellValue,
  MYSQL_TYPE,
  shortestFloat32,
  transactionEvents,
} from '../../../src/main/cdc/maxwell';

describe('FLOAT as Maxwell prints it', () => {
  test.each([
    [Math.fround(99.5), 99.5],
    [Math.fround(12.34), 12.34],
    [Math.fround(1000), 1000],
    [Math.fround(10.01), 10.01],
    [Math.fround(0.1), 0.1],
    [Math.fround(123456.79), 123456.79],
    [Math.fround(-3.3), -3.3],
    [0, 0],
    [Math.fround(1e-7), 1e-7],
  ])('%d → %d', (stored, printed) => {
    expect(shortestFloat32(stored)).toBe(printed);
    // Whatever is printed reads back as the very same float.
    expect(Math.fround(shortestFloat32(stored))).toBe(Math.fround(stored));
  });

  test('only FLOAT columns are shortened; DOUBLE keeps every digit, DECIMAL becomes a number', () => {
    expect(maxwellValue(12.34000015258789, MYSQL_TYPE.FLOAT)).toBe(12.34);
    expect(maxwellValue(12.34000015258789, MYSQL_TYPE.DOUBLE)).toBe(12.34000015258789);
    expect(maxwellValue('-123.4500', MYSQL_TYPE.NEWDECIMAL)).toBe(-123.45);
    expect(maxwellValue('西安', 15)).toBe('西安');
    expect(maxwellValue(null, MYSQL_TYPE.FLOAT)).toBeNull();
    expect(maxwellValue(Buffer.from('hi'), 252)).toBe('aGk=');
  });

  test('a row keeps column order and converts by column type', () => {
    const row = maxwellRow({ order_id: 7, amount: Math.fround(99.5), city: "Xi'an" }, [
      { name: 'order_id', type: 3 },
      { name: 'amount', type: MYSQL_TYPE.FLOAT },
      { name: 'city', type: 15 },
    ]);
    expect(JSON.stringify(row)).toBe('{"order_id":7,"amount":99.5,"city":"Xi\'an"}');
  });
});

describe('old holds only the changed columns', () => {
  test.each([
    [{ a: 1, b: 'x' }, { a: 1, b: 'y' }, { b: 'x' }],
    [{ a: 1, b: 'x' }, { a: 1, b: 'x' }, {}],
    [{ a: null, b: 2 }, { a: 'now', b: 2 }, { a: null }],
    [
      { a: 'paid', t: '2026-01-01 00:00:00' },
      { a: 'shipping', t: '2026-01-01 00:00:05' },
      { a: 'paid', t: '2026-01-01 00:00:00' },
    ],
  ])('%j → %j = %j', (before, after, old) => {
    expect(changedColumns(before, after)).toEqual(old);
  });
});

describe("a transaction's events", () => {
  test("Maxwell's key order, xid on every row, commit only on the last", () => {
    const events = transactionEvents(
      'demo',
      'order',
      [
        { type: 'insert', ts: 1732440000, data: { order_id: 7, status: 'unpaid' } },
        {
          type: 'update',
          ts: 1732440001,
          data: { order_id: 7, status: 'paid' },
          old: { status: 'unpaid' },
        },
      ],
      8812,
    );
    expect(events.map((e) => JSON.stringify(e))).toEqual([
      '{"database":"demo","table":"order","type":"insert","ts":1732440000,"xid":8812,"data":{"order_id":7,"status":"unpaid"}}',
      '{"database":"demo","table":"order","type":"update","ts":1732440001,"xid":8812,"commit":true,"data":{"order_id":7,"status":"paid"},"old":{"status":"unpaid"}}',
    ]);
  });

  test("with the binlog position: Maxwell's position field and each row's xoffset", () => {
    const events = transactionEvents(
      'demo',
      'order',
      [
        { type: 'insert', ts: 1, data: { order_id: 1 } },
        { type: 'delete', ts: 1, data: { order_id: 2 } },
      ],
      9,
      'mysql-bin.000003:4711',
    );
    expect(events.map((e) => JSON.stringify(e))).toEqual([
      '{"database":"demo","table":"order","type":"insert","ts":1,"xid":9,"xoffset":0,"position":"mysql-bin.000003:4711","data":{"order_id":1}}',
      '{"database":"demo","table":"order","type":"delete","ts":1,"xid":9,"xoffset":1,"commit":true,"position":"mysql-bin.000003:4711","data":{"order_id":2}}',
    ]);
  });

  test('a transaction without xid (a non-transactional table) still commits', () => {
    const [event] = transactionEvents(
      'demo',
      'order',
      [{ type: 'delete', ts: 1, data: { order_id: 1 } }],
      undefined,
    );
    expect(event).toEqual({
      database: 'demo',
      table: 'order',
      type: 'delete',
      ts: 1,
      commit: true,
      data: { order_id: 1 },
    });
  });
});
