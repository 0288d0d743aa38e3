/**
 * The two policies people attach by hand: the wall PC's (read metric_ds, plus the read-only calls
 * `livewall health` makes) and `livewall cdc`'s (write order_ds). Managed policies, so an
 * administrator attaches them to whichever user or role the PC or the cdc host runs as.
 */
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { DeploySettings } from './settings';
import type { Streams } from './streams';

/** Every action the Wall policy may allow: reads only. */
export const WALL_ACTIONS = [
  'kinesis:GetRecords',
  'kinesis:GetShardIterator',
  'kinesis:ListShards',
  'kinesis:DescribeStreamSummary',
  'kinesis:ListTagsForStream',
  'kinesisanalytics:DescribeApplication',
  'firehose:DescribeDeliveryStream',
  'redshift:DescribeClusters',
  'cloudwatch:GetMetricData',
] as const;

export interface PolicyTargets {
  settings: DeploySettings;
  streams: Streams;
  flinkApplicationArn: string;
  /** Firehose's ARN, when a warehouse is deployed. */
  firehoseArn?: string;
  /** The provisioned cluster's ARN, when that is the warehouse. */
  clusterArn?: string;
}

export class Policies extends Construct {
  readonly wall: iam.ManagedPolicy;
  readonly cdc: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, t: PolicyTargets) {
    super(scope, id);
    const statements = [
      new iam.PolicyStatement({
        sid: 'ReadMetricStream',
        actions: [
          'kinesis:GetRecords',
          'kinesis:GetShardIterator',
          'kinesis:ListShards',
          'kinesis:DescribeStreamSummary',
          'kinesis:ListTagsForStream',
        ],
        resources: [t.streams.metric.streamArn],
      }),
      // health's lag of the other hops.
      new iam.PolicyStatement({
        sid: 'DescribeOtherStreams',
        actions: ['kinesis:DescribeStreamSummary', 'kinesis:ListTagsForStream'],
        resources: [t.streams.order.streamArn, t.streams.dwd.streamArn],
      }),
      new iam.PolicyStatement({
        sid: 'DescribeFlinkApplication',
        actions: ['kinesisanalytics:DescribeApplication'],
        resources: [t.flinkApplicationArn],
      }),
      // GetMetricData has no resource-level permissions: "*" is the only resource it takes.
      new iam.PolicyStatement({
        sid: 'ReadMetrics',
        actions: ['cloudwatch:GetMetricData'],
        resources: ['*'],
      }),
    ];
    if (t.firehoseArn) {
      statements.push(
        new iam.PolicyStatement({
          sid: 'DescribeFirehose',
          actions: ['firehose:DescribeDeliveryStream'],
          resources: [t.firehoseArn],
        }),
      );
    }
    if (t.clusterArn) {
      statements.push(
        new iam.PolicyStatement({
          sid: 'DescribeWarehouse',
          actions: ['redshift:DescribeClusters'],
          resources: [t.clusterArn],
        }),
      );
    }
    this.wall = new iam.ManagedPolicy(this, 'WallReadOnly', {
      description: `livewall wall PC: read ${t.settings.metricStream} and the pipeline's health, write nothing`,
      statements,
    });
    this.cdc = new iam.ManagedPolicy(this, 'CdcWriter', {
      description: `livewall cdc: write change events to ${t.settings.orderStream}`,
      statements: [
        new iam.PolicyStatement({
          sid: 'WriteOrderStream',
          actions: ['kinesis:PutRecords', 'kinesis:DescribeStreamSummary'],
          resources: [t.streams.order.streamArn],
        }),
      ],
    });
  }
}
