/**
 * livewall's whole AWS side in one stack, environment-agnostic (account and region are the
 * deploying profile's), so `cdk synth` needs no credentials and no look-ups, and every ARN is
 * built with the partition pseudo-parameter: the same template deploys in aws and aws-cn.
 */
import { Aws, CfnOutput, CfnResource, Stack, type StackProps } from 'aws-cdk-lib';
import * as rds from 'aws-cdk-lib/aws-rds';
import { type Construct } from 'constructs';
import { Alarms } from './alarms';
import { FlinkApplication } from './flinkApplication';
import { CUSTOM_RESOURCE_PROVIDER } from './nagSuppressions';
import { Network } from './network';
import { Policies } from './policies';
import type { DeploySettings } from './settings';
import { Streams } from './streams';
import { Warehouse } from './warehouse';

export interface PipelineStackProps extends StackProps {
  settings: DeploySettings;
  jarPath: string;
}

export class PipelineStack extends Stack {
  readonly streams: Streams;
  readonly flink: FlinkApplication;
  readonly warehouse?: Warehouse;
  readonly policies: Policies;

  constructor(scope: Construct, id: string, props: PipelineStackProps) {
    super(scope, id, props);
    const s = props.settings;
    this.streams = new Streams(this, 'Streams', s);
    const network = s.vpc
      ? new Network(this, 'Network', {
          withWarehouse: s.warehouse !== 'none',
          ...(s.warehousePublic ? { publicWarehouseFor: s.firehoseCidr } : {}),
        })
      : undefined;
    if (s.warehouse !== 'none') {
      this.warehouse = new Warehouse(this, 'Warehouse', s, this.streams, network);
    }
    const w = this.warehouse;
    this.flink = new FlinkApplication(this, 'Flink', {
      settings: s,
      jarPath: props.jarPath,
      streams: this.streams,
      ...(network ? { vpc: { vpc: network.vpc, securityGroup: network.flinkSecurityGroup } } : {}),
      ...(w ? { customers: { url: w.customersUrl(), secretArn: w.secret.secretArn } } : {}),
    });
    const firehoseArn = w
      ? this.formatArn({
          service: 'firehose',
          resource: 'deliverystream',
          resourceName: s.firehose,
        })
      : undefined;
    this.policies = new Policies(this, 'Policies', {
      settings: s,
      streams: this.streams,
      flinkApplicationArn: this.flink.arn(),
      ...(firehoseArn ? { firehoseArn } : {}),
      ...(w?.clusterArn ? { clusterArn: w.clusterArn } : {}),
    });
    new Alarms(this, 'Alarms', s, this.streams, w !== undefined);

    if (s.mysqlParameterGroup) {
      // What `livewall cdc` checks for; the binlog retention is a procedure call, see the output.
      new rds.CfnDBParameterGroup(this, 'MysqlBinlogParameters', {
        family: `mysql${s.mysqlVersion}`,
        description: 'livewall cdc: row-based binlog with full row images',
        parameters: { binlog_format: 'ROW', binlog_row_image: 'FULL' },
      });
      new CfnOutput(this, 'MysqlBinlogRetention', {
        description: 'Run once on the RDS MySQL so binlogs outlive a stopped cdc (hours)',
        value: "CALL mysql.rds_set_configuration('binlog retention hours', 72);",
      });
    }

    // aws-cdk-lib's custom-resource function lists its role in DependsOn beside a GetAtt of it,
    // which cfn-lint warns of (W3005); the GetAtt alone orders them.
    const provider = this.node.tryFindChild(CUSTOM_RESOURCE_PROVIDER)?.node.defaultChild;
    if (provider instanceof CfnResource) provider.addDeletionOverride('DependsOn');

    // The wall PC's livewall.config.json: its screen reads metric_ds, its health strip every stage.
    new CfnOutput(this, 'WallConfig', {
      description:
        'livewall.config.json for the wall PC (attach the WallReadOnly policy to its profile)',
      value: this.toJsonString({
        source: 'kinesis',
        stream: s.metricStream,
        aws: { region: Aws.REGION },
        pipeline: {
          orderStream: s.orderStream,
          metricStream: s.metricStream,
          dwdStream: s.dwdStream,
          flinkApplication: s.flinkApplication,
          ...(w ? { firehose: s.firehose } : {}),
        },
      }),
    });
    new CfnOutput(this, 'WallPolicyArn', { value: this.policies.wall.managedPolicyArn });
    new CfnOutput(this, 'CdcPolicyArn', { value: this.policies.cdc.managedPolicyArn });
    if (w) {
      new CfnOutput(this, 'WarehouseSecretArn', { value: w.secret.secretArn });
      new CfnOutput(this, 'WarehouseHost', { value: w.host });
      new CfnOutput(this, 'StagingBucket', {
        description: 'Firehose staging bucket: kept by cdk destroy (empty and delete it by hand)',
        value: w.staging.bucketName,
      });
    }
  }
}
