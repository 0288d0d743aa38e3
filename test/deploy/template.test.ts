/**
 * The deployment's CloudFormation, read as the hold-out check reads it: the streams, the Flink
 * application, the warehouse and Firehose, the policies, the alarms; no `*` action, no literal
 * password, no hard-coded partition.
 */
import { describe, expect, test } from 'vitest';
import { WALL_ACTIONS } from '../../deploy/lib/policies';
import { readSettings } from '../../deploy/lib/settings';
import { actionsOf, statements, synthesize } from './synthesized';

type Resources = Record<string, { Type: string; Properties: Record<string, unknown> }>;
const ofType = (json: Record<string, unknown>, type: string) =>
  Object.entries(json.Resources as Resources).filter(([, r]) => r.Type === type);

describe('the default deployment', () => {
  const { template, json } = synthesize();

  test('three streams by their workshop names, encrypted with aws/kinesis', () => {
    for (const name of ['order_ds', 'metric_ds', 'dwd_customer_order_ds']) {
      template.hasResourceProperties('AWS::Kinesis::Stream', {
        Name: name,
        StreamEncryption: { EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis' },
      });
    }
    expect(ofType(json, 'AWS::Kinesis::Stream')).toHaveLength(3);
  });

  test('the Flink application: runtime 1.19, code from S3, the livewall group, checkpoints, snapshots, logging', () => {
    const [[, app]] = ofType(json, 'AWS::KinesisAnalyticsV2::Application') as [
      [string, Resources[string]],
    ];
    const p = app.Properties as {
      RuntimeEnvironment: string;
      ApplicationConfiguration: {
        ApplicationCodeConfiguration: {
          CodeContentType: string;
          CodeContent: { S3ContentLocation: unknown };
        };
        EnvironmentProperties: {
          PropertyGroups: Array<{ PropertyGroupId: string; PropertyMap: Record<string, unknown> }>;
        };
        FlinkApplicationConfiguration: { CheckpointConfiguration: Record<string, unknown> };
        ApplicationSnapshotConfiguration: { SnapshotsEnabled: boolean };
      };
    };
    expect(p.RuntimeEnvironment).toBe('FLINK-1_19');
    const c = p.ApplicationConfiguration;
    expect(c.ApplicationCodeConfiguration.CodeContentType).toBe('ZIPFILE');
    expect(c.ApplicationCodeConfiguration.CodeContent.S3ContentLocation).toBeDefined();
    const groups = c.EnvironmentProperties.PropertyGroups;
    expect(groups.map((g) => g.PropertyGroupId)).toEqual(['livewall']);
    const props = groups[0]!.PropertyMap;
    expect(props).toMatchObject({
      source: 'order_ds',
      metrics: 'metric_ds',
      dwd: 'dwd_customer_order_ds',
    });
    expect(Object.keys(props).filter((k) => /pass/i.test(k))).toEqual([]);
    expect(props['customers-secret-arn']).toEqual({ Ref: expect.stringMatching(/AdminSecret/) });
    expect(props.customers).toBeDefined();
    expect(c.FlinkApplicationConfiguration.CheckpointConfiguration).toEqual({
      ConfigurationType: 'DEFAULT',
    });
    expect(c.ApplicationSnapshotConfiguration.SnapshotsEnabled).toBe(true);
    expect(app.Properties.RunConfiguration).toMatchObject({
      ApplicationRestoreConfiguration: { ApplicationRestoreType: 'RESTORE_FROM_LATEST_SNAPSHOT' },
    });
    template.resourceCountIs('AWS::KinesisAnalyticsV2::ApplicationCloudWatchLoggingOption', 1);
  });

  test('the application is started once created, with a grant on that application only', () => {
    const start = ofType(json, 'Custom::AWS').find(([id]) => id.startsWith('FlinkStart'));
    expect(start).toBeDefined();
    expect(JSON.stringify(start![1].Properties.Create)).toContain('startApplication');
    const grants = statements(json).filter(({ statement }) =>
      actionsOf(statement).includes('kinesisanalytics:StartApplication'),
    );
    expect(grants).toHaveLength(1);
    expect(JSON.stringify(grants[0]!.statement.Resource)).toContain('application/livewall-flink');
  });

  test('the job may read the customers secret, that one secret only', () => {
    const reads = statements(json).filter(
      ({ resource, statement }) =>
        resource.startsWith('FlinkRole') &&
        actionsOf(statement).includes('secretsmanager:GetSecretValue'),
    );
    expect(reads).toHaveLength(1);
    expect(reads[0]!.statement.Resource).toEqual({ Ref: expect.stringMatching(/AdminSecret/) });
  });

  test("Firehose reads dwd_customer_order_ds into customer_order with json 'auto', the password from Secrets Manager", () => {
    const [[, fh]] = ofType(json, 'AWS::KinesisFirehose::DeliveryStream') as [
      [string, Resources[string]],
    ];
    const p = fh.Properties as Record<string, Record<string, unknown>>;
    expect(p.DeliveryStreamType).toBe('KinesisStreamAsSource');
    expect(JSON.stringify(p.KinesisStreamSourceConfiguration!.KinesisStreamARN)).toContain(
      'StreamsDwdStream',
    );
    const r = p.RedshiftDestinationConfiguration as Record<string, unknown>;
    expect(r.CopyCommand).toEqual({ DataTableName: 'customer_order', CopyOptions: "json 'auto'" });
    expect(r.Password).toBeUndefined();
    expect(r.Username).toBeUndefined();
    expect(r.SecretsManagerConfiguration).toMatchObject({ Enabled: true });
  });

  test('Redshift Serverless with a generated admin password, not publicly accessible; tables made by the Data API', () => {
    template.hasResourceProperties('AWS::RedshiftServerless::Workgroup', {
      PubliclyAccessible: false,
    });
    const [[, ns]] = ofType(json, 'AWS::RedshiftServerless::Namespace') as [
      [string, Resources[string]],
    ];
    expect(JSON.stringify(ns.Properties.AdminUserPassword)).toMatch(
      /^.*\{\{resolve:secretsmanager:.*:SecretString:password::\}\}/,
    );
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: { GenerateStringKey: 'password' },
    });
    const tables = ofType(json, 'Custom::AWS').find(([id]) => id.startsWith('WarehouseTables'));
    const create = JSON.stringify(tables![1].Properties.Create);
    expect(create).toContain('batchExecuteStatement');
    expect(create).toContain('CREATE TABLE IF NOT EXISTS customer_order');
    expect(create).toContain('ROW_NUMBER() OVER (PARTITION BY order_id ORDER BY ts DESC)');
  });

  test('no IAM statement allows an action with a wildcard', () => {
    const all = statements(json).filter(({ statement }) => statement.Effect === 'Allow');
    expect(all.length).toBeGreaterThan(10);
    const wild = all.flatMap(({ resource, statement }) =>
      actionsOf(statement)
        .filter((a) => a.includes('*'))
        .map((a) => `${resource}: ${a}`),
    );
    expect(wild).toEqual([]);
  });

  test('"*" as a resource only for actions that take no other', () => {
    const star = statements(json)
      .filter(
        ({ statement }) =>
          statement.Effect === 'Allow' && JSON.stringify(statement.Resource) === '"*"',
      )
      .flatMap(({ statement }) => actionsOf(statement));
    // GetMetricData and EC2's Describe calls (the service's look at the VPC) take no other.
    expect(star).toContain('cloudwatch:GetMetricData');
    expect(
      star.filter((a) => a !== 'cloudwatch:GetMetricData' && !a.startsWith('ec2:Describe')),
    ).toEqual([]);
  });

  test('the Wall policy reads metric_ds and writes nothing', () => {
    const wall = statements(json).filter(({ resource }) => resource.includes('Wall'));
    expect(wall.length).toBeGreaterThan(0);
    const actions = wall.flatMap(({ statement }) => actionsOf(statement));
    for (const a of actions) {
      expect(WALL_ACTIONS).toContain(a);
      expect(a).toMatch(/^[a-z0-9-]+:(Get|List|Describe)[A-Za-z]+$/);
    }
    expect(wall.every(({ statement }) => statement.Effect === 'Allow')).toBe(true);
    const metric = wall.find(({ statement }) => statement.Sid === 'ReadMetricStream')!.statement;
    expect(actionsOf(metric)).toEqual(
      expect.arrayContaining([
        'kinesis:GetRecords',
        'kinesis:GetShardIterator',
        'kinesis:ListShards',
      ]),
    );
    expect(JSON.stringify(metric.Resource)).toContain('StreamsMetricStream');
  });

  test('cdc may only put records on order_ds', () => {
    const cdc = statements(json).filter(({ resource }) => resource.includes('CdcWriter'));
    expect(cdc.flatMap(({ statement }) => actionsOf(statement))).toEqual([
      'kinesis:PutRecords',
      'kinesis:DescribeStreamSummary',
    ]);
    expect(JSON.stringify(cdc[0]!.statement.Resource)).toContain('StreamsOrderStream');
  });

  test('no hard-coded partition and no literal password anywhere', () => {
    const text = JSON.stringify(json);
    expect(text).not.toContain('arn:aws:');
    const literals: string[] = [];
    const walk = (v: unknown, key: string): void => {
      if (
        typeof v === 'string' &&
        /pass(word)?$/i.test(key) &&
        !v.startsWith('{{resolve:secretsmanager:')
      )
        literals.push(key);
      else if (Array.isArray(v)) v.forEach((x) => walk(x, key));
      else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, k);
    };
    walk(json, '');
    expect(literals).toEqual([]);
  });

  test('alarms on both iterator ages, the Flink job and Firehose, all to one topic', () => {
    const alarms = ofType(json, 'AWS::CloudWatch::Alarm');
    expect(alarms.length).toBe(5);
    const text = JSON.stringify(alarms);
    for (const m of [
      'GetRecords.IteratorAgeMilliseconds',
      'downtime',
      'fullRestarts',
      'DeliveryToRedshift.Success',
    ]) {
      expect(text).toContain(m);
    }
    template.resourceCountIs('AWS::SNS::Topic', 1);
  });

  test("the wall's config names the metric stream and every deployed stage", () => {
    const out = (json.Outputs as Record<string, { Value: unknown }>).WallConfig!.Value;
    const text = JSON.stringify(out);
    for (const s of [
      '"source\\":\\"kinesis',
      'metric_ds',
      'order_ds',
      'dwd_customer_order_ds',
      'livewall-flink',
      'livewall-dwd-to-redshift',
    ]) {
      expect(text).toContain(s);
    }
    expect(text).not.toMatch(/pass/i);
  });
});

describe('the default VPC placement', () => {
  const { template, json } = synthesize();

  test('the application runs in three private subnets with its own security group', () => {
    const [[, app]] = ofType(json, 'AWS::KinesisAnalyticsV2::Application') as [
      [string, Resources[string]],
    ];
    const vpc = (
      app.Properties.ApplicationConfiguration as {
        VpcConfigurations: Array<{ SubnetIds: unknown[]; SecurityGroupIds: unknown[] }>;
      }
    ).VpcConfigurations;
    expect(vpc).toHaveLength(1);
    expect(vpc[0]!.SubnetIds).toHaveLength(3);
    expect(JSON.stringify(vpc[0]!.SecurityGroupIds)).toContain('FlinkSecurityGroup');
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
  });

  test('reaches Kinesis and Secrets Manager through interface endpoints, named for aws-cn too', () => {
    const endpoints = ofType(json, 'AWS::EC2::VPCEndpoint').map(([, r]) =>
      JSON.stringify(r.Properties.ServiceName),
    );
    expect(endpoints).toHaveLength(2);
    expect(endpoints.find((e) => e.includes('kinesis-streams'))).toContain('cn.com.amazonaws');
    expect(endpoints.find((e) => e.includes('secretsmanager'))).toBeDefined();
    for (const [, r] of ofType(json, 'AWS::EC2::VPCEndpoint'))
      expect(r.Properties.PrivateDnsEnabled).toBe(true);
  });

  test('the warehouse is in the VPC and lets in the application on 5439 only', () => {
    const [[, wg]] = ofType(json, 'AWS::RedshiftServerless::Workgroup') as [
      [string, Resources[string]],
    ];
    expect(wg.Properties.SubnetIds).toHaveLength(3);
    expect(wg.Properties.PubliclyAccessible).toBe(false);
    const ingress = ofType(json, 'AWS::EC2::SecurityGroupIngress')
      .map(([, r]) => r.Properties)
      .filter((p) => JSON.stringify(p.GroupId).includes('WarehouseSecurityGroup'));
    expect(ingress).toHaveLength(1);
    expect(ingress[0]).toMatchObject({ IpProtocol: 'tcp', FromPort: 5439, ToPort: 5439 });
    expect(JSON.stringify(ingress[0]!.SourceSecurityGroupId)).toContain('FlinkSecurityGroup');
  });

  test('"*" resources only for calls without resource-level permissions; no wildcard action', () => {
    const allow = statements(json).filter(({ statement }) => statement.Effect === 'Allow');
    expect(
      allow.flatMap(({ statement }) => actionsOf(statement)).filter((a) => a.includes('*')),
    ).toEqual([]);
    const star = allow
      .filter(({ statement }) => JSON.stringify(statement.Resource) === '"*"')
      .flatMap(({ statement }) => actionsOf(statement));
    expect(
      star.every((a) => a === 'cloudwatch:GetMetricData' || a.startsWith('ec2:Describe')),
    ).toBe(true);
    expect(JSON.stringify(json)).not.toContain('arn:aws:');
  });
});

describe('settings', () => {
  test('Flink 1.20, on-demand streams, a provisioned cluster and the MySQL parameter group', () => {
    const { template, json } = synthesize({
      flinkRuntime: '1.20',
      shards: '0',
      warehouse: 'provisioned',
      mysqlParameterGroup: 'true',
    });
    template.hasResourceProperties('AWS::KinesisAnalyticsV2::Application', {
      RuntimeEnvironment: 'FLINK-1_20',
    });
    template.hasResourceProperties('AWS::Kinesis::Stream', {
      StreamModeDetails: { StreamMode: 'ON_DEMAND' },
    });
    const [[, cluster]] = ofType(json, 'AWS::Redshift::Cluster') as [[string, Resources[string]]];
    expect(cluster.Properties.PubliclyAccessible).toBe(false);
    expect(JSON.stringify(cluster.Properties.MasterUserPassword)).toContain(
      '{{resolve:secretsmanager:',
    );
    template.resourceCountIs('AWS::RedshiftServerless::Workgroup', 0);
    template.hasResourceProperties('AWS::RDS::DBParameterGroup', {
      Family: 'mysql8.0',
      Parameters: { binlog_format: 'ROW', binlog_row_image: 'FULL' },
    });
    expect(JSON.stringify(json)).not.toContain('arn:aws:');
  });

  test("a public warehouse for Firehose: public subnets, 5439 open to Firehose's range and the job only", () => {
    const { template, json } = synthesize({
      warehousePublic: 'true',
      firehoseCidr: '198.51.100.0/27',
    });
    template.hasResourceProperties('AWS::RedshiftServerless::Workgroup', {
      PubliclyAccessible: true,
    });
    template.resourceCountIs('AWS::EC2::InternetGateway', 1);
    const [[, sg]] = ofType(json, 'AWS::EC2::SecurityGroup').filter(([id]) =>
      id.includes('WarehouseSecurityGroup'),
    ) as [[string, Resources[string]]];
    expect(sg.Properties.SecurityGroupIngress).toEqual([
      expect.objectContaining({
        CidrIp: '198.51.100.0/27',
        FromPort: 5439,
        ToPort: 5439,
        IpProtocol: 'tcp',
      }),
    ]);
    const [[, app]] = ofType(json, 'AWS::KinesisAnalyticsV2::Application') as [
      [string, Resources[string]],
    ];
    // The job stays in the private subnets.
    expect(JSON.stringify(app.Properties.ApplicationConfiguration)).not.toMatch(/warehouseSubnet/i);
  });

  test('no warehouse, no VPC: no Firehose, no secret, and the job gets no customers', () => {
    const { template, json } = synthesize({ warehouse: 'none', vpc: 'false' });
    template.resourceCountIs('AWS::EC2::VPC', 0);
    template.resourceCountIs('AWS::KinesisFirehose::DeliveryStream', 0);
    template.resourceCountIs('AWS::SecretsManager::Secret', 0);
    const text = JSON.stringify(ofType(json, 'AWS::KinesisAnalyticsV2::Application'));
    expect(text).not.toContain('customers');
  });

  test.each([
    [{ flinkRuntime: '1.18' }, /flinkRuntime/],
    [{ shards: 'two' }, /"shards" must be a whole number/],
    [{ warehouse: 'snowflake' }, /"warehouse" must be one of/],
    [{ metricStream: 'metric ds' }, /"metricStream" must be a stream name/],
    [{ warehousePublic: 'yes' }, /"warehousePublic" must be true or false/],
    [{ vpc: 'false' }, /"vpc" must stay true with a warehouse/],
    [{ warehousePublic: 'true' }, /needs "firehoseCidr"/],
    [{ firehoseCidr: 'everyone' }, /"firehoseCidr" must be a CIDR block/],
  ])('%j is refused by name', (context, message) => {
    expect(() => readSettings((k) => (context as Record<string, unknown>)[k])).toThrow(message);
  });
});
