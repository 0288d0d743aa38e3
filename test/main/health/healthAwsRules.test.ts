import { describe, expect, test } from 'vitest';
import type { GetMetricDataOutput } from '@aws-sdk/client-cloudwatch';
import {
  clusterOf,
  describeServiceError,
  describeStreamFigures,
  firehoseFiguresOf,
  firehoseStateOf,
  flinkStateOf,
  judgeFirehose,
  judgeFlink,
  streamFiguresOf,
  type FirehoseState,
} from '../../../src/main/health/awsRules';

const fh = (over: Partial<FirehoseState>): FirehoseState => ({
  name: 'dwd_to_rs',
  status: 'ACTIVE',
  failure: null,
  bufferSeconds: 60,
  redshift: { cluster: 'wh', publiclyAccessible: true },
  figures: null,
  ...over,
});

describe('managed stage rules', () => {
  test.each([
    [{ status: 'READY', vpc: null }, false, false, /is READY, not RUNNING: start it/],
    [{ status: 'RUNNING', vpc: null }, false, true, /is RUNNING$/],
    [{ status: 'RUNNING', vpc: null }, true, false, /is RUNNING$/],
    [
      { status: 'RUNNING', vpc: { vpcId: 'vpc-1', subnets: ['subnet-a'] } },
      true,
      false,
      /RUNNING inside vpc-1 but writes nothing: .*NAT gateway or a Kinesis VPC endpoint in its subnets \(subnet-a\)/,
    ],
    [{ status: 'RUNNING', vpc: { vpcId: 'vpc-1', subnets: [] } }, false, true, /RUNNING in vpc-1$/],
  ])('flink %j behind=%s → ok %s', (app, behind, ok, sentence) => {
    const v = judgeFlink({ name: 'job', ...app }, behind);
    expect(v.ok).toBe(ok);
    expect(v.detail).toMatch(sentence);
  });

  test.each([
    [fh({}), true, /^Firehose "dwd_to_rs" is ACTIVE, buffering 60 s into Redshift cluster "wh"$/],
    [fh({ status: 'CREATING' }), false, /is CREATING: wait until it is ACTIVE/],
    [
      fh({ status: 'CREATING_FAILED', failure: 'RETIRE_KMS_GRANT_FAILED: x' }),
      false,
      /is CREATING_FAILED \(RETIRE_KMS_GRANT_FAILED: x\)/,
    ],
    [
      fh({ redshift: { cluster: 'wh', publiclyAccessible: false } }),
      false,
      /Redshift cluster "wh", which is not publicly accessible/,
    ],
    [fh({ redshift: { cluster: 'wh', publiclyAccessible: null } }), true, /ACTIVE/],
    [
      fh({ figures: { incoming: 10, deliverySuccess: 0.5 } }),
      false,
      /fails to deliver to Redshift; CloudWatch, last 15 min: 10 records in, 50% of Redshift deliveries succeeded/,
    ],
    [fh({ figures: { incoming: 10, deliverySuccess: 1 } }), true, /10 records in, 100%/],
  ])('firehose %#', (state, ok, sentence) => {
    const v = judgeFirehose(state);
    expect(v.ok).toBe(ok);
    expect(v.detail).toMatch(sentence);
  });

  test.each([
    ['jdbc:redshift://my-cluster.abc123.us-east-1.redshift.amazonaws.com:5439/dev', 'my-cluster'],
    ['jdbc:redshift://wh:5439/dev', 'wh'],
  ])('clusterOf(%s)', (url, cluster) => expect(clusterOf(url)).toBe(cluster));

  test.each([
    [
      { name: 'ThrottlingException', message: 'Rate exceeded' },
      /^Firehose is throttling livewall's calls for x \(t\); the next run tries again\.$/,
    ],
    [{ name: 'ExpiredTokenException', message: 'expired' }, /credentials have expired/],
    [
      { name: 'CredentialsProviderError', message: 'Could not load credentials' },
      /No usable AWS credentials/,
    ],
    [
      { name: 'ResourceNotFoundException', message: 'nope' },
      /^Firehose has no x \(t\): check the name and the region\.$/,
    ],
    [
      { name: 'Error', code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' },
      /^Cannot reach Firehose \(t\)/,
    ],
  ])('error %j', (err, sentence) =>
    expect(
      describeServiceError(Object.assign(new Error(err.message), err), 'Firehose', 'x', 't'),
    ).toMatch(sentence),
  );
});

describe('reading what the managed stages answer', () => {
  test.each([
    ['an empty answer', {}, { name: 'job', status: 'UNKNOWN', vpc: null }],
    [
      'RUNNING outside a VPC',
      { ApplicationDetail: { ApplicationStatus: 'RUNNING' } },
      { name: 'job', status: 'RUNNING', vpc: null },
    ],
    [
      'inside a VPC, its subnets listed',
      {
        ApplicationDetail: {
          ApplicationStatus: 'RUNNING',
          ApplicationConfigurationDescription: {
            VpcConfigurationDescriptions: [{ VpcId: 'vpc-1', SubnetIds: ['subnet-a', 'subnet-b'] }],
          },
        },
      },
      {
        name: 'job',
        status: 'RUNNING',
        vpc: { vpcId: 'vpc-1', subnets: ['subnet-a', 'subnet-b'] },
      },
    ],
  ])('DescribeApplication: %s', (_name, out, want) => {
    expect(flinkStateOf('job', out as Parameters<typeof flinkStateOf>[1])).toEqual(want);
  });

  const base = { name: 'fh', failure: null, figures: null };
  test.each([
    [
      'an empty answer: unknown, the default 300 s buffer',
      {},
      { ...base, status: 'UNKNOWN', bufferSeconds: 300, redshift: null },
      false,
    ],
    [
      'to Redshift: its cluster, reachability not yet told, the S3 staging buffer',
      {
        DeliveryStreamDescription: {
          DeliveryStreamStatus: 'ACTIVE',
          Destinations: [
            {
              RedshiftDestinationDescription: {
                ClusterJDBCURL: 'jdbc:redshift://wh.abc.us-east-1.redshift.amazonaws.com:5439/dev',
                S3DestinationDescription: { BufferingHints: { IntervalInSeconds: 60 } },
              },
            },
          ],
        },
      },
      {
        ...base,
        status: 'ACTIVE',
        bufferSeconds: 60,
        redshift: { cluster: 'wh', publiclyAccessible: null },
      },
      true,
    ],
    [
      'to S3, failed: its failure in one line',
      {
        DeliveryStreamDescription: {
          DeliveryStreamStatus: 'CREATING_FAILED',
          FailureDescription: { Type: 'RETIRE_KMS_GRANT_FAILED', Details: 'x' },
          Destinations: [
            { ExtendedS3DestinationDescription: { BufferingHints: { IntervalInSeconds: 120 } } },
          ],
        },
      },
      {
        ...base,
        status: 'CREATING_FAILED',
        failure: 'RETIRE_KMS_GRANT_FAILED: x',
        bufferSeconds: 120,
        redshift: null,
      },
      false,
    ],
  ])('DescribeDeliveryStream: %s', (_name, out, state, toRedshift) => {
    expect(firehoseStateOf('fh', out as Parameters<typeof firehoseStateOf>[1])).toEqual({
      state,
      toRedshift,
    });
  });

  const answer = (results: [string, number[]][]): GetMetricDataOutput => ({
    MetricDataResults: results.map(([Id, Values]) => ({ Id, Values })),
  });
  test.each([
    ['no figure at all', answer([]), null],
    [
      'empty series',
      answer([
        ['age', []],
        ['out0', []],
      ]),
      null,
    ],
    [
      'the age and one output',
      answer([
        ['age', [180_000]],
        ['out0', []],
        ['out1', [1200, 5]],
      ]),
      { iteratorAgeMs: 180_000, incoming: { dwd: 1200 } },
    ],
    [
      'an output alone',
      answer([['out0', [7]]]),
      { iteratorAgeMs: null, incoming: { metric_ds: 7 } },
    ],
  ])('stream figures: %s', (_name, out, want) => {
    expect(streamFiguresOf(out, ['metric_ds', 'dwd'])).toEqual(want);
  });

  test.each([
    ['no figure', answer([]), null],
    ['records in', answer([['incoming', [10]]]), { incoming: 10, deliverySuccess: null }],
    [
      'and Redshift deliveries',
      answer([
        ['incoming', [10]],
        ['success', [0.5]],
      ]),
      { incoming: 10, deliverySuccess: 0.5 },
    ],
  ])('Firehose figures: %s', (_name, out, want) => {
    expect(firehoseFiguresOf(out)).toEqual(want);
  });

  test.each([
    [
      { iteratorAgeMs: 180_400, incoming: { metric_ds: 1200 } },
      'CloudWatch, last 15 min: order_ds read up to 180 s behind its newest record; metric_ds took 1200 records',
    ],
    [{ iteratorAgeMs: null, incoming: { dwd: 3 } }, 'CloudWatch, last 15 min: dwd took 3 records'],
  ])('describeStreamFigures(%j)', (figures, want) => {
    expect(describeStreamFigures('order_ds', figures)).toBe(want);
  });
});
