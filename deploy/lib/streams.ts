/** The three streams, encrypted with the AWS-managed key `aws/kinesis` (no key policy to keep). */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import { Construct } from 'constructs';
import type { DeploySettings } from './settings';

export class Streams extends Construct {
  readonly order: kinesis.Stream;
  readonly metric: kinesis.Stream;
  readonly dwd: kinesis.Stream;

  constructor(scope: Construct, id: string, s: DeploySettings) {
    super(scope, id);
    const stream = (logicalId: string, name: string): kinesis.Stream =>
      new kinesis.Stream(this, logicalId, {
        streamName: name,
        encryption: kinesis.StreamEncryption.MANAGED,
        retentionPeriod: Duration.hours(24),
        // A day of transient records, billed by the hour: `cdk destroy` removes them too.
        removalPolicy: RemovalPolicy.DESTROY,
        ...(s.shards === 0
          ? { streamMode: kinesis.StreamMode.ON_DEMAND }
          : { streamMode: kinesis.StreamMode.PROVISIONED, shardCount: s.shards }),
      });
    this.order = stream('OrderStream', s.orderStream);
    this.metric = stream('MetricStream', s.metricStream);
    this.dwd = stream('DwdStream', s.dwdStream);
  }
}
