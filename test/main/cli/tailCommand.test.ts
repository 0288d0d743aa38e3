import { describe, expect, test } from 'vitest';
import { formatForStream, renderRecord } from '../../../src/main/cli/tailCommand';

describe('tail rendering', () => {
  test.each([
    ['order_ds', 'change'],
    ['metric_ds', 'metric'],
    ['dwd_customer_order_ds', 'wide'],
    ['clickstream', 'json'],
  ])('%s holds %s records', (stream, format) => {
    expect(formatForStream(stream)).toBe(format);
  });

  test('valid records print compacted as sent; metric short forms print in full', () => {
    expect(renderRecord('{ "a": 1,\n "b": [2] }', 'json', 'UTC')).toEqual({
      ok: true,
      value: '{"a":1,"b":[2]}',
    });
    expect(
      renderRecord('{"name":"amount","value":1234.5,"occur":1732440000123}', 'metric', 'UTC'),
    ).toEqual({
      ok: true,
      value:
        '{"name":"amount","value":1234.5,"occur":1732440000123,"window":"1d","start":1732406400000,"dims":{}}',
    });
    expect(
      renderRecord(
        '{"database":"demo","table":"order","type":"bootstrap-start","ts":1,"data":{}}',
        'change',
        'UTC',
      ),
    ).toEqual({
      ok: true,
      value: '{"database":"demo","table":"order","type":"bootstrap-start","ts":1,"data":{}}',
    });
  });

  test.each([
    ['{"database":"demo"}', 'change', 'change event: "table" must be a string'],
    ['{"order_id":1}', 'wide', 'wide row: "user_mail" must be a string'],
    ['nope', 'json', 'not JSON'],
  ] as const)('%s as %s is malformed', (text, format, error) => {
    expect(renderRecord(text, format, 'UTC')).toEqual({ ok: false, error });
  });
});
