/**
 * The optional VPC placement (setting `vpc`), with what the workshop's VPC lacked: the Flink
 * application in private subnets reaches Kinesis (and Secrets Manager) through interface
 * endpoints, and the warehouse lets in the application's security group on its port only. Three
 * zones, as Redshift Serverless asks; no NAT gateway. A public warehouse (`warehousePublic`, for
 * Firehose, which reaches Redshift only that way) gets public subnets and lets in Firehose's
 * address range too; otherwise the VPC has no internet gateway at all.
 */
import { Aws, CfnCondition, Fn, RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

export const WAREHOUSE_PORT = 5439;

export interface NetworkOptions {
  withWarehouse: boolean;
  /** Firehose's address range when the warehouse is public; undefined: private. */
  publicWarehouseFor?: string;
}

export class Network extends Construct {
  readonly vpc: ec2.Vpc;
  readonly flinkSecurityGroup: ec2.SecurityGroup;
  readonly warehouseSecurityGroup: ec2.SecurityGroup;
  /** Where the warehouse goes: public subnets when it is public, else the private ones. */
  readonly warehouseSubnets: ec2.ISubnet[];

  constructor(scope: Construct, id: string, o: NetworkOptions) {
    super(scope, id);
    const flowLogs = new logs.LogGroup(this, 'FlowLogs', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.vpc = new ec2.Vpc(this, 'Vpc', {
      // The region's first three zones, chosen at deploy time: synth looks nothing up.
      availabilityZones: [0, 1, 2].map((i) => Fn.select(i, Fn.getAzs())),
      natGateways: 0,
      subnetConfiguration: [
        { name: 'app', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
        ...(o.publicWarehouseFor
          ? [{ name: 'warehouse', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 }]
          : []),
      ],
      flowLogs: {
        rejected: {
          destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogs),
          trafficType: ec2.FlowLogTrafficType.REJECT,
        },
      },
    });
    this.flinkSecurityGroup = new ec2.SecurityGroup(this, 'FlinkSecurityGroup', {
      vpc: this.vpc,
      description: 'livewall Flink application',
      allowAllOutbound: true,
    });
    this.warehouseSecurityGroup = new ec2.SecurityGroup(this, 'WarehouseSecurityGroup', {
      vpc: this.vpc,
      description: 'livewall warehouse: the Flink job looks up customers',
      allowAllOutbound: false,
    });
    this.warehouseSecurityGroup.addIngressRule(
      this.flinkSecurityGroup,
      ec2.Port.tcp(WAREHOUSE_PORT),
      'the Flink job reads the customer table',
    );
    if (o.publicWarehouseFor) {
      this.warehouseSecurityGroup.addIngressRule(
        ec2.Peer.ipv4(o.publicWarehouseFor),
        ec2.Port.tcp(WAREHOUSE_PORT),
        "Firehose's COPY",
      );
    }
    this.warehouseSubnets = o.publicWarehouseFor
      ? this.vpc.publicSubnets
      : this.vpc.isolatedSubnets;

    // Kinesis's endpoint service is named cn.com.amazonaws.… in the China regions.
    const china = new CfnCondition(this, 'InChina', {
      expression: Fn.conditionEquals(Aws.PARTITION, 'aws-cn'),
    });
    const kinesisService = Fn.join('', [
      Fn.conditionIf(china.logicalId, 'cn.com.amazonaws', 'com.amazonaws').toString(),
      '.',
      Aws.REGION,
      '.kinesis-streams',
    ]);
    const endpoint = (endpointId: string, service: ec2.IInterfaceVpcEndpointService): void => {
      const e = this.vpc.addInterfaceEndpoint(endpointId, {
        service,
        privateDnsEnabled: true,
        open: false,
      });
      e.connections.allowFrom(this.flinkSecurityGroup, ec2.Port.tcp(443), 'the Flink job');
    };
    endpoint('Kinesis', new ec2.InterfaceVpcEndpointService(kinesisService, 443));
    if (o.withWarehouse)
      endpoint('SecretsManager', ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER);
  }
}
