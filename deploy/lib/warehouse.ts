/**
 * The warehouse: Redshift Serverless (or a provisioned cluster) whose admin password Secrets
 * Manager generates, not publicly accessible unless asked; its tables and view created through
 * the Redshift Data API once the warehouse exists; and Firehose loading dwd_customer_order_ds
 * into `customer_order` through an S3 staging bucket with `COPY … json 'auto'`, reading the
 * password from the same secret.
 */
import { Duration, RemovalPolicy, Stack, ArnFormat } from 'aws-cdk-lib';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as redshift from 'aws-cdk-lib/aws-redshift';
import * as rss from 'aws-cdk-lib/aws-redshiftserverless';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { WAREHOUSE_PORT, type Network } from './network';
import type { DeploySettings } from './settings';
import type { Streams } from './streams';
import { WAREHOUSE_SQL } from './warehouseSql';

export const WAREHOUSE_USER = 'livewall_admin';
export const WAREHOUSE_DB = 'dev';
const PORT = WAREHOUSE_PORT;

export class Warehouse extends Construct {
  readonly secret: secretsmanager.Secret;
  /** Host name of the warehouse's endpoint (a token). */
  readonly host: string;
  readonly deliveryStream: firehose.CfnDeliveryStream;
  readonly staging: s3.Bucket;
  /** The provisioned cluster's ARN (none for Serverless). */
  readonly clusterArn?: string;

  constructor(
    scope: Construct,
    id: string,
    s: DeploySettings,
    streams: Streams,
    network?: Network,
  ) {
    super(scope, id);
    const stack = Stack.of(this);
    this.secret = new secretsmanager.Secret(this, 'AdminSecret', {
      description:
        'livewall warehouse admin (Firehose loads and the Flink job looks up customers with it)',
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ username: WAREHOUSE_USER }),
        generateStringKey: 'password',
        // Redshift refuses quotes, backslash, slash, @ and spaces; one of each kind is required.
        excludePunctuation: true,
        requireEachIncludedType: true,
        passwordLength: 32,
      },
    });
    const password = this.secret.secretValueFromJson('password').unsafeUnwrap();

    let dataApiTarget: Record<string, string>;
    let dataApiResource: string;
    if (s.warehouse === 'provisioned') {
      // TLS only, and every query logged (with the audit logs below).
      const parameters = new redshift.CfnClusterParameterGroup(this, 'ClusterParameters', {
        description: 'livewall warehouse: TLS required, user activity logged',
        parameterGroupFamily: 'redshift-1.0',
        parameters: [
          { parameterName: 'require_ssl', parameterValue: 'true' },
          { parameterName: 'enable_user_activity_logging', parameterValue: 'true' },
        ],
      });
      const subnets = network
        ? new redshift.CfnClusterSubnetGroup(this, 'ClusterSubnets', {
            description: 'livewall warehouse',
            subnetIds: network.warehouseSubnets.map((n) => n.subnetId),
          })
        : undefined;
      const cluster = new redshift.CfnCluster(this, 'Cluster', {
        clusterParameterGroupName: parameters.ref,
        ...(subnets && network
          ? {
              clusterSubnetGroupName: subnets.ref,
              vpcSecurityGroupIds: [network.warehouseSecurityGroup.securityGroupId],
            }
          : {}),
        loggingProperties: {
          logDestinationType: 'cloudwatch',
          logExports: ['connectionlog', 'userlog', 'useractivitylog'],
        },
        clusterType: 'single-node',
        nodeType: s.nodeType,
        dbName: WAREHOUSE_DB,
        masterUsername: WAREHOUSE_USER,
        masterUserPassword: password,
        encrypted: true,
        publiclyAccessible: s.warehousePublic,
        port: PORT,
        enhancedVpcRouting: true,
        automatedSnapshotRetentionPeriod: 1,
      });
      // Its data outlives `cdk destroy` as a final snapshot (Serverless namespaces have none).
      cluster.applyRemovalPolicy(RemovalPolicy.SNAPSHOT);
      this.host = cluster.attrEndpointAddress;
      dataApiTarget = { ClusterIdentifier: cluster.ref };
      dataApiResource = this.clusterArn = stack.formatArn({
        service: 'redshift',
        resource: 'cluster',
        resourceName: cluster.ref,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      });
    } else {
      const namespace = new rss.CfnNamespace(this, 'Namespace', {
        namespaceName: 'livewall',
        dbName: WAREHOUSE_DB,
        adminUsername: WAREHOUSE_USER,
        adminUserPassword: password,
      });
      const workgroup = new rss.CfnWorkgroup(this, 'Workgroup', {
        workgroupName: 'livewall',
        namespaceName: namespace.ref,
        baseCapacity: s.baseCapacity,
        publiclyAccessible: s.warehousePublic,
        port: PORT,
        ...(network
          ? {
              subnetIds: network.warehouseSubnets.map((n) => n.subnetId),
              securityGroupIds: [network.warehouseSecurityGroup.securityGroupId],
            }
          : {}),
      });
      this.host = workgroup.attrWorkgroupEndpointAddress;
      dataApiTarget = { WorkgroupName: workgroup.ref };
      dataApiResource = workgroup.attrWorkgroupWorkgroupArn;
    }

    // The tables and the view, once: Data API statements run as the admin through the secret.
    const tables = new cr.AwsCustomResource(this, 'Tables', {
      onCreate: {
        service: 'RedshiftData',
        action: 'batchExecuteStatement',
        parameters: {
          ...dataApiTarget,
          Database: WAREHOUSE_DB,
          SecretArn: this.secret.secretArn,
          Sqls: [...WAREHOUSE_SQL],
        },
        physicalResourceId: cr.PhysicalResourceId.of('livewall-warehouse-tables'),
      },
      policy: cr.AwsCustomResourcePolicy.fromStatements([
        new iam.PolicyStatement({
          actions: ['redshift-data:BatchExecuteStatement'],
          resources: [dataApiResource],
        }),
        new iam.PolicyStatement({
          actions: ['secretsmanager:GetSecretValue'],
          resources: [this.secret.secretArn],
        }),
      ]),
      installLatestAwsSdk: false,
    });

    const staging = (this.staging = new s3.Bucket(this, 'Staging', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      // Files only wait here for COPY (and failed ones for a look): a week is plenty.
      lifecycleRules: [{ expiration: Duration.days(7) }],
      removalPolicy: RemovalPolicy.RETAIN,
    }));
    const logGroup = new logs.LogGroup(this, 'FirehoseLogs', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const logStream = new logs.LogStream(this, 'FirehoseLogStream', {
      logGroup,
      logStreamName: 'RedshiftDelivery',
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const role = new iam.Role(this, 'FirehoseRole', {
      assumedBy: new iam.ServicePrincipal('firehose.amazonaws.com'),
      description: `${s.firehose}: read ${s.dwdStream}, stage in S3, COPY into Redshift`,
    });
    const policy = new iam.Policy(this, 'FirehosePolicy', {
      statements: [
        new iam.PolicyStatement({
          sid: 'ReadDwdStream',
          actions: [
            'kinesis:DescribeStream',
            'kinesis:GetShardIterator',
            'kinesis:GetRecords',
            'kinesis:ListShards',
          ],
          resources: [streams.dwd.streamArn],
        }),
        new iam.PolicyStatement({
          sid: 'Stage',
          actions: [
            's3:AbortMultipartUpload',
            's3:GetBucketLocation',
            's3:GetObject',
            's3:ListBucket',
            's3:ListBucketMultipartUploads',
            's3:PutObject',
          ],
          resources: [staging.bucketArn, staging.arnForObjects('*')],
        }),
        new iam.PolicyStatement({
          sid: 'WarehousePassword',
          actions: ['secretsmanager:GetSecretValue'],
          resources: [this.secret.secretArn],
        }),
        new iam.PolicyStatement({
          sid: 'Logs',
          actions: ['logs:PutLogEvents'],
          resources: [logGroup.logGroupArn],
        }),
      ],
    });
    policy.attachToRole(role);

    this.deliveryStream = new firehose.CfnDeliveryStream(this, 'DeliveryStream', {
      deliveryStreamName: s.firehose,
      deliveryStreamType: 'KinesisStreamAsSource',
      kinesisStreamSourceConfiguration: {
        kinesisStreamArn: streams.dwd.streamArn,
        roleArn: role.roleArn,
      },
      redshiftDestinationConfiguration: {
        clusterJdbcurl: `jdbc:redshift://${this.host}:${PORT}/${WAREHOUSE_DB}`,
        copyCommand: { dataTableName: 'customer_order', copyOptions: "json 'auto'" },
        roleArn: role.roleArn,
        secretsManagerConfiguration: {
          enabled: true,
          secretArn: this.secret.secretArn,
          roleArn: role.roleArn,
        },
        s3Configuration: {
          bucketArn: staging.bucketArn,
          roleArn: role.roleArn,
          prefix: 'dwd/',
          errorOutputPrefix: 'failed/',
          bufferingHints: { intervalInSeconds: 60, sizeInMBs: 5 },
          compressionFormat: 'UNCOMPRESSED',
        },
        retryOptions: { durationInSeconds: 3600 },
        cloudWatchLoggingOptions: {
          enabled: true,
          logGroupName: logGroup.logGroupName,
          logStreamName: logStream.logStreamName,
        },
      },
    });
    // The role's policy must exist before Firehose first assumes it; the tables before any COPY.
    this.deliveryStream.node.addDependency(policy);
    this.deliveryStream.node.addDependency(tables);
  }

  /** The customers dimension's URL for the Flink job (no password: that is in the secret). */
  customersUrl(): string {
    return `redshift://${WAREHOUSE_USER}@${this.host}:${PORT}/${WAREHOUSE_DB}`;
  }
}
