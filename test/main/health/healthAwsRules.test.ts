import { describe, expect, test } from 'vitest';
import {
  clusterOf,
  describeServiceError,
  judgeFirehose,
  judgeFlink,
  type FirehoseState,
} from '../../../src/main/health/awsProbes';

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
