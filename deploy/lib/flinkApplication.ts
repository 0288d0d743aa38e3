/**
 * livewall's Flink job on Managed Service for Apache Flink: the jar as an S3 asset, the property
 * group `livewall`, checkpoints and snapshots on, CloudWatch logging, started once created. Its
 * role may read order_ds, write the two output streams (and tag them: EngineTags), read its jar,
 * write its log stream and read the one customers secret; nothing else.
 */
import { existsSync } from 'node:fs';
import { Aws, RemovalPolicy, Stack, ArnFormat } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kda from 'aws-cdk-lib/aws-kinesisanalyticsv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Asset } from 'aws-cdk-lib/aws-s3-assets';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { jobProperties } from './jobProperties';
import type { DeploySettings } from './settings';
import type { Streams } from './streams';

export interface FlinkProps {
  settings: DeploySettings;
  /** Absolute path of the job's jar. */
  jarPath: string;
  streams: Streams;
  customers?: { url: string; secretArn: string };
  /** The VPC placement, when asked for. */
  vpc?: { vpc: ec2.IVpc; securityGroup: ec2.ISecurityGroup };
}

export class FlinkApplication extends Construct {
  readonly application: kda.CfnApplication;
  readonly applicationName: string;
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, p: FlinkProps) {
    super(scope, id);
    const s = p.settings;
    const stack = Stack.of(this);
    if (!existsSync(p.jarPath)) {
      throw new Error(
        `the Flink job's jar ${p.jarPath} is missing: run \`npm run synth\` at the repository root (it builds it), or mvn -q -B -f flink/pom.xml -DskipTests package`,
      );
    }
    const jar = new Asset(this, 'Jar', { path: p.jarPath });
    this.applicationName = s.flinkApplication;

    const logGroup = new logs.LogGroup(this, 'Logs', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const logStream = new logs.LogStream(this, 'LogStream', {
      logGroup,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('kinesisanalytics.amazonaws.com'),
      description: `${s.flinkApplication}: read ${s.orderStream}, write ${s.metricStream} and ${s.dwdStream}`,
    });
    const allow = (sid: string, actions: string[], resources: string[]): void => {
      this.role.addToPolicy(new iam.PolicyStatement({ sid, actions, resources }));
    };
    allow(
      'ReadOrderStream',
      [
        'kinesis:DescribeStream',
        'kinesis:DescribeStreamSummary',
        'kinesis:GetRecords',
        'kinesis:GetShardIterator',
        'kinesis:ListShards',
      ],
      [p.streams.order.streamArn],
    );
    allow(
      'WriteOutputStreams',
      [
        'kinesis:DescribeStream',
        'kinesis:DescribeStreamSummary',
        'kinesis:ListShards',
        'kinesis:PutRecord',
        'kinesis:PutRecords',
        'kinesis:AddTagsToStream',
      ],
      [p.streams.metric.streamArn, p.streams.dwd.streamArn],
    );
    allow(
      'ReadJobJar',
      ['s3:GetObject', 's3:GetObjectVersion'],
      [
        stack.formatArn({
          service: 's3',
          region: '',
          account: '',
          resource: jar.s3BucketName,
          resourceName: jar.s3ObjectKey,
          arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
        }),
      ],
    );
    allow('WriteLogs', ['logs:DescribeLogStreams', 'logs:PutLogEvents'], [logGroup.logGroupArn]);
    allow(
      'FindLogGroup',
      ['logs:DescribeLogGroups'],
      [
        stack.formatArn({
          service: 'logs',
          resource: 'log-group',
          resourceName: '*',
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      ],
    );
    if (p.customers) {
      allow('ReadCustomersSecret', ['secretsmanager:GetSecretValue'], [p.customers.secretArn]);
    }
    if (p.vpc) {
      // The service creates the application's network interfaces with this role; EC2's Describe
      // and network-interface calls have no resource-level permissions to narrow them to.
      allow(
        'VpcDescribe',
        [
          'ec2:DescribeVpcs',
          'ec2:DescribeSubnets',
          'ec2:DescribeSecurityGroups',
          'ec2:DescribeDhcpOptions',
          'ec2:DescribeNetworkInterfaces',
        ],
        ['*'],
      );
      allow(
        'VpcInterfaces',
        [
          'ec2:CreateNetworkInterface',
          'ec2:CreateNetworkInterfacePermission',
          'ec2:DeleteNetworkInterface',
        ],
        [
          // The interfaces do not exist yet: their ids are the service's to pick.
          stack.formatArn({ service: 'ec2', resource: 'network-interface', resourceName: '*' }),
          ...p.vpc.vpc.isolatedSubnets.map((n) =>
            stack.formatArn({ service: 'ec2', resource: 'subnet', resourceName: n.subnetId }),
          ),
          stack.formatArn({
            service: 'ec2',
            resource: 'security-group',
            resourceName: p.vpc.securityGroup.securityGroupId,
          }),
        ],
      );
    }

    const properties = jobProperties({
      orderStream: s.orderStream,
      metricStream: s.metricStream,
      dwdStream: s.dwdStream,
      region: Aws.REGION,
      timeZone: s.timeZone,
      database: s.database,
      ...(p.customers ? { customers: p.customers } : {}),
    });
    this.application = new kda.CfnApplication(this, 'Application', {
      applicationName: s.flinkApplication,
      applicationDescription: 'livewall: order_ds → metric_ds and dwd_customer_order_ds',
      runtimeEnvironment: s.flinkRuntime,
      serviceExecutionRole: this.role.roleArn,
      // An update (a new jar, new properties) resumes from the snapshot the service takes first.
      runConfiguration: {
        applicationRestoreConfiguration: { applicationRestoreType: 'RESTORE_FROM_LATEST_SNAPSHOT' },
        flinkRunConfiguration: { allowNonRestoredState: false },
      },
      applicationConfiguration: {
        applicationCodeConfiguration: {
          codeContentType: 'ZIPFILE',
          codeContent: {
            s3ContentLocation: {
              bucketArn: stack.formatArn({
                service: 's3',
                region: '',
                account: '',
                resource: jar.s3BucketName,
              }),
              fileKey: jar.s3ObjectKey,
            },
          },
        },
        environmentProperties: {
          propertyGroups: [{ propertyGroupId: 'livewall', propertyMap: properties }],
        },
        flinkApplicationConfiguration: {
          // DEFAULT: checkpoints every minute, exactly once, as the service recommends.
          checkpointConfiguration: { configurationType: 'DEFAULT' },
          monitoringConfiguration: {
            configurationType: 'CUSTOM',
            logLevel: 'INFO',
            metricsLevel: 'APPLICATION',
          },
          parallelismConfiguration: {
            configurationType: 'CUSTOM',
            parallelism: s.parallelism,
            parallelismPerKpu: s.parallelismPerKpu,
            autoScalingEnabled: false,
          },
        },
        applicationSnapshotConfiguration: { snapshotsEnabled: true },
        ...(p.vpc
          ? {
              vpcConfigurations: [
                {
                  subnetIds: p.vpc.vpc.isolatedSubnets.map((n) => n.subnetId),
                  securityGroupIds: [p.vpc.securityGroup.securityGroupId],
                },
              ],
            }
          : {}),
      },
    });
    // The role's policy must be in place before the service checks it at creation.
    this.application.node.addDependency(this.role.node.findChild('DefaultPolicy'));

    const logging = new kda.CfnApplicationCloudWatchLoggingOption(this, 'Logging', {
      applicationName: this.application.ref,
      cloudWatchLoggingOption: {
        logStreamArn: stack.formatArn({
          service: 'logs',
          resource: 'log-group',
          resourceName: `${logGroup.logGroupName}:log-stream:${logStream.logStreamName}`,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      },
    });

    // CloudFormation creates the application stopped; start it once, with nothing to restore.
    const start = new cr.AwsCustomResource(this, 'Start', {
      onCreate: {
        service: 'KinesisAnalyticsV2',
        action: 'startApplication',
        parameters: {
          ApplicationName: s.flinkApplication,
          RunConfiguration: {
            ApplicationRestoreConfiguration: {
              ApplicationRestoreType: 'SKIP_RESTORE_FROM_SNAPSHOT',
            },
          },
        },
        physicalResourceId: cr.PhysicalResourceId.of(`${s.flinkApplication}-start`),
      },
      policy: cr.AwsCustomResourcePolicy.fromStatements([
        new iam.PolicyStatement({
          actions: ['kinesisanalytics:StartApplication'],
          resources: [this.arn()],
        }),
      ]),
      installLatestAwsSdk: false,
    });
    start.node.addDependency(logging);
  }

  /** The application's ARN, in this stack's partition. */
  arn(): string {
    return Stack.of(this).formatArn({
      service: 'kinesisanalytics',
      resource: 'application',
      resourceName: this.applicationName,
    });
  }
}
