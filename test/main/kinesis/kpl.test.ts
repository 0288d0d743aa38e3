import { describe, expect, test } from 'vitest';
import { aggregate, deaggregate, isAggregated } from '../../../src/main/kinesis/kpl';
import { decodeRecord } from '../../../src/main/kinesis/decode';
import { parseStartPosition } from '../../../src/main/kinesis/startPosition';
import { describeAwsError } from '../../../src/main/kinesis/awsErrors';
import { kinesisSettings, describeTarget } from '../../../src/main/kinesis/settings';

const enc = new TextEncoder();

describe('KPL aggregation', () => {
  test('round trip keeps keys, order and bytes, including long records', () => {
    const records = [
      { partitionKey: 'a', data: enc.encode('{"name":"gmv"}') },
      { partitionKey: 'b', data: enc.encode('西安'.repeat(100)) },
      { partitionKey: 'a', data: new Uint8Array(300).fill(7) },
    ];
    const packed = aggregate(records);
    expect(isAggregated(packed)).toBe(true);
    const back = deaggregate(packed);
    expect(
      back.ok && back.value.map((r) => [r.partitionKey, Buffer.from(r.data).toString('hex')]),
    ).toEqual(records.map((r) => [r.partitionKey, Buffer.from(r.data).toString('hex')]));
  });

  test('a damaged aggregate is refused with a reason', () => {
    const packed = aggregate([{ partitionKey: 'k', data: enc.encode('x') }]);
    const flipped = Uint8Array.from(packed);
    flipped[6] = (flipped[6] as number) ^ 0xff;
    expect(deaggregate(flipped)).toEqual({
      ok: false,
      error: 'KPL aggregated record: checksum mismatch',
    });
    expect(deaggregate(enc.encode('plain'))).toEqual({
      ok: false,
      error: 'not a KPL aggregated record',
    });
  });

  test('decodeRecord: plain text, aggregates, and bytes that are not UTF-8', () => {
    expect(decodeRecord({ Data: enc.encode('{}'), PartitionKey: 'p' })).toEqual({
      ok: true,
      value: [{ ok: true, value: { partitionKey: 'p', text: '{}' } }],
    });
    const agg = decodeRecord({
      Data: aggregate([
        { partitionKey: 'x', data: enc.encode('1') },
        { partitionKey: 'y', data: Uint8Array.of(0xff) },
      ]),
    });
    expect(agg).toEqual({
      ok: true,
      value: [
        { ok: true, value: { partitionKey: 'x', text: '1' } },
        { ok: false, error: 'record data is not UTF-8 text' },
      ],
    });
  });
});

describe('start positions', () => {
  const now = Date.UTC(2026, 10, 24, 20); // 04:00 on the 25th in Shanghai
  test.each([
    ['latest', { type: 'LATEST' }],
    ['trim', { type: 'TRIM_HORIZON' }],
    ['today', { type: 'AT_TIMESTAMP', timestamp: Date.UTC(2026, 10, 24, 16) }],
    ['2026-11-24T08:00:00+08:00', { type: 'AT_TIMESTAMP', timestamp: Date.UTC(2026, 10, 24, 0) }],
  ])('%s', (text, want) => {
    expect(parseStartPosition(text, { timeZone: 'Asia/Shanghai', now })).toEqual({
      ok: true,
      value: want,
    });
  });
  test.each(['yesterday', '2027-01-01T00:00:00Z', ''])('refuses %j', (text) => {
    const r = parseStartPosition(text, { timeZone: 'UTC', now });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatch(/--from/);
  });
});

describe('AWS errors become sentences', () => {
  const ctx = { stream: 'metric_ds', target: 'region cn-northwest-1' };
  test.each([
    [{ name: 'ProvisionedThroughputExceededException' }, 'throttled'],
    [{ name: 'ExpiredIteratorException' }, 'expired-iterator'],
    [
      { name: 'ResourceNotFoundException', message: 'Stream metric_ds under account 1 not found.' },
      'not-found',
    ],
    [
      {
        name: 'CredentialsProviderError',
        message: 'Could not load credentials from any providers',
      },
      'credentials',
    ],
    [
      {
        name: 'ExpiredTokenException',
        message: 'The security token included in the request is expired',
      },
      'credentials',
    ],
    [{ name: 'Error', message: 'Region is missing' }, 'region'],
    [
      { name: 'Error', code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:4567' },
      'network',
    ],
    [{ name: 'InternalFailure', message: 'boom' }, 'other'],
  ])('%j is %s', (err, kind) => {
    const info = describeAwsError(err, ctx);
    expect(info.kind).toBe(kind);
    expect(info.sentence).not.toMatch(/\n|at .*\.js/);
  });

  test('sentences say what to do', () => {
    expect(describeAwsError({ name: 'ResourceNotFoundException' }, ctx).sentence).toBe(
      'Stream "metric_ds" was not found (region cn-northwest-1): check the stream name and the region.',
    );
    expect(
      describeAwsError({ name: 'ExpiredTokenException', message: 'expired' }, ctx).sentence,
    ).toMatch(/aws sso login/);
  });
});

describe('AWS settings', () => {
  test('flags, then the environment, then the config file', () => {
    const file = { profile: 'file', region: 'eu-west-1', endpoint: 'http://file' };
    expect(kinesisSettings({}, {}, file)).toEqual(file);
    expect(kinesisSettings({}, { AWS_REGION: 'cn-north-1' }, file)).toEqual({
      ...file,
      region: 'cn-north-1',
    });
    expect(kinesisSettings({ region: 'us-west-2' }, { AWS_REGION: 'cn-north-1' }, file)).toEqual({
      ...file,
      region: 'us-west-2',
    });
  });

  test('flags over the Kinesis endpoint variable over the general one', () => {
    const env = {
      AWS_PROFILE: 'wall',
      AWS_REGION: 'cn-northwest-1',
      AWS_ENDPOINT_URL: 'http://a',
      AWS_ENDPOINT_URL_KINESIS: 'http://b',
    };
    expect(kinesisSettings({}, env)).toEqual({
      profile: 'wall',
      region: 'cn-northwest-1',
      endpoint: 'http://b',
    });
    expect(kinesisSettings({ endpoint: 'http://c', region: 'us-east-1' }, env)).toEqual({
      profile: 'wall',
      region: 'us-east-1',
      endpoint: 'http://c',
    });
    expect(describeTarget({ region: 'us-east-1', profile: 'p' })).toBe(
      'region us-east-1, profile p',
    );
  });
});
