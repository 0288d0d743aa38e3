/**
 * cdk-nag AwsSolutions findings that stay, each with the reason a reviewer accepted. Any finding
 * not acknowledged here fails `cdk synth` and test/deploy/nag.test.ts.
 */
import { Validations, type Stack } from 'aws-cdk-lib';
import type { DeploySettings } from './settings';
import type { IConstruct } from 'constructs';

/** The AwsCustomResource provider's function, one per stack (its id is fixed by aws-cdk-lib). */
export const CUSTOM_RESOURCE_PROVIDER = 'AWS679f53fac002430cb0da5b7982bd2287';

export interface Reviewed {
  path: string;
  id: string;
  reason: string;
  /** Only for deployments with these settings (default: all). */
  when?: (s: DeploySettings) => boolean;
}

export const REVIEWED: readonly Reviewed[] = [
  {
    path: `${CUSTOM_RESOURCE_PROVIDER}/ServiceRole`,
    id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    reason:
      "The provider of the two one-time calls (start the Flink application, create the warehouse's tables) only writes its own logs; this managed policy allows just that.",
  },
  {
    path: CUSTOM_RESOURCE_PROVIDER,
    id: 'AwsSolutions-L1',
    reason:
      "aws-cdk-lib picks the AwsCustomResource provider's runtime to match the SDK it bundles; the function runs once per deployment and handles no user input.",
  },
  {
    path: 'Flink/Role',
    id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:*]',
    reason:
      'Managed Service for Apache Flink checks its log group with logs:DescribeLogGroups, which lists and cannot be narrowed to one group; the action reads names only.',
  },
  {
    path: 'Policies/WallReadOnly',
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason:
      'cloudwatch:GetMetricData has no resource-level permissions: "*" is the only resource it accepts. It reads metrics and changes nothing.',
  },
  {
    path: 'Warehouse/FirehosePolicy',
    id: 'AwsSolutions-IAM5[Resource::<WarehouseStaging3322BC6D.Arn>/*]',
    reason:
      "Firehose names the objects it stages itself; the wildcard covers the keys of this one bucket, which holds nothing but Firehose's files.",
  },
  {
    path: 'Warehouse/DeliveryStream',
    id: 'AwsSolutions-KDF1',
    reason:
      'A delivery stream whose source is a Kinesis stream cannot take server-side encryption settings (the API refuses them); its source stream is encrypted with aws/kinesis and the staging bucket with SSE-S3.',
  },
  {
    path: 'Warehouse/AdminSecret',
    id: 'AwsSolutions-SMG4',
    reason:
      'Rotation needs a rotation function that reaches the warehouse, and the running Flink job reads the password once at start; docs/deploy-aws.md says how to rotate by hand (put a new value, restart the application).',
  },
  {
    path: 'Warehouse/Staging',
    id: 'AwsSolutions-S1',
    reason:
      "A staging bucket: Firehose's files wait here a week at most, written and read by one role; access logs would need a second bucket for no one to read.",
  },
  {
    path: 'Warehouse/Cluster',
    id: 'AwsSolutions-RS4',
    reason:
      "Firehose's JDBC URL, livewall health and the workshop use the standard port 5439; another port hides nothing from a client the security group already lets in.",
  },
  {
    path: 'Flink/Role',
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason:
      'In a VPC the service describes the VPC, subnets, security groups and interfaces with the application role; EC2 Describe calls have no resource-level permissions.',
  },
  {
    path: 'Flink/Role',
    id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ec2:<AWS::Region>:<AWS::AccountId>:network-interface/*]',
    reason:
      "The service creates the application's network interfaces in the VPC; their ids do not exist before, so no narrower resource can name them (subnets and the security group are named).",
  },
  {
    path: 'Warehouse/Cluster',
    id: 'AwsSolutions-RS8',
    when: (s) => s.warehousePublic,
    reason:
      "Asked for with warehousePublic: Firehose reaches Redshift only through a public endpoint; the cluster's security group lets in Firehose's address range (firehoseCidr) and the Flink job's group on 5439, nothing else.",
  },
];

export function suppressReviewed(stack: Stack, settings: DeploySettings): void {
  for (const r of REVIEWED) {
    if (r.when && !r.when(settings)) continue;
    const target: IConstruct | undefined = stack.node.tryFindChild(r.path.split('/')[0]!)
      ? r.path
          .split('/')
          .reduce<IConstruct | undefined>((c, part) => c?.node.tryFindChild(part), stack)
      : undefined;
    // A reviewed finding on a construct this configuration does not create: nothing to do.
    if (target) Validations.of(target).acknowledge({ id: r.id, reason: r.reason });
  }
}
