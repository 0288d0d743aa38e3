/**
 * The AWS-managed stages against moto in server mode (Managed Flink, Firehose, CloudWatch,
 * Redshift), the streams on kinesalite and the warehouse on a private PostgreSQL, through
 * `bin/livewall health --json` as an operator runs it. Broken states are made for real: a
 * Firehose stream that does not exist, a Flink application that is not RUNNING, a Redshift
 * destination that is not publicly accessible, wide rows that never reach the warehouse.
 */
import { PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { CreateDeliveryStreamCommand, FirehoseClient } from '@aws-sdk/client-firehose';
import {
  CreateApplicationCommand,
  KinesisAnalyticsV2Client,
} from '@aws-sdk/client-kinesis-analytics-v2';
import { CreateClusterCommand, RedshiftClient } from '@aws-sdk/client-redshift';
import pg from 'pg';
import { tolerateIsoTimes } from '../../../src/main/health/awsClients';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createStream, kinesisClient } from '../../support/kinesalite';
import { useKinesalite } from '../../support/lifecycle';
import { runLivewall } from '../../support/livewall';
import { MOTO_CREDENTIALS, useMoto } from '../../support/moto';
import { usePostgres } from '../../support/lifecycle';
import { makeTempDir, waitFor, type TempDir } from '../../support/processes';

interface Check {
  stage: string;
  ok: boolean;
  detail: string;
  ageMs?: number;
}

const moto = useMoto();
const kinesalite = useKinesalite();
const postgres = usePostgres();
let temp: TempDir;

const aws = { region: 'us-east-1', credentials: MOTO_CREDENTIALS };
const clients = () => ({
  flink: withIsoTimes(new KinesisAnalyticsV2Client({ ...aws, endpoint: moto().endpoint })),
  firehose: new FirehoseClient({ ...aws, endpoint: moto().endpoint }),
  redshift: new RedshiftClient({ ...aws, endpoint: moto().endpoint }),
  cloudwatch: new CloudWatchClient({ ...aws, endpoint: moto().endpoint }),
});

function withIsoTimes(c: KinesisAnalyticsV2Client): KinesisAnalyticsV2Client {
  tolerateIsoTimes(c);
  return c;
}

beforeAll(async () => {
  temp = await makeTempDir('livewall-health-aws-');
});
afterAll(async () => {
  await temp?.remove();
});

async function health(
  args: string[],
): Promise<{ code: number | null; checks: Check[]; output: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...moto().env() };
  delete env.AWS_PROFILE;
  const r = await runLivewall(['health', '--json', '--endpoint', kinesalite().endpoint, ...args], {
    cwd: temp.path,
    env,
  });
  const line = r.output.split('\n').find((l) => l.startsWith('['));
  return { code: r.code, checks: line ? (JSON.parse(line) as Check[]) : [], output: r.output };
}
const stage = (checks: Check[], name: string): Check => {
  const c = checks.find((x) => x.stage === name);
  if (!c) throw new Error(`no ${name} check in ${JSON.stringify(checks)}`);
  return c;
};

async function deliveryStream(name: string, cluster: string, intervalSeconds = 1): Promise<void> {
  await clients().firehose.send(
    new CreateDeliveryStreamCommand({
      DeliveryStreamName: name,
      DeliveryStreamType: 'DirectPut',
      RedshiftDestinationConfiguration: {
        RoleARN: 'arn:aws:iam::123456789012:role/firehose',
        ClusterJDBCURL: `jdbc:redshift://${cluster}.abc123.us-east-1.redshift.amazonaws.com:5439/dev`,
        CopyCommand: { DataTableName: 'customer_order', CopyOptions: "json 'auto'" },
        Username: 'loader',
        Password: 'not-a-real-one-1A',
        S3Configuration: {
          RoleARN: 'arn:aws:iam::123456789012:role/firehose',
          BucketARN: 'arn:aws:s3:::livewall-firehose',
          BufferingHints: { IntervalInSeconds: intervalSeconds, SizeInMBs: 1 },
        },
      },
    }),
  );
}

async function cluster(name: string, publiclyAccessible: boolean): Promise<void> {
  await clients().redshift.send(
    new CreateClusterCommand({
      ClusterIdentifier: name,
      NodeType: 'dc2.large',
      MasterUsername: 'admin',
      MasterUserPassword: 'NotReal-1a',
      ClusterType: 'single-node',
      PubliclyAccessible: publiclyAccessible,
    }),
  );
}

describe('managed stages', () => {
  test(
    'a Firehose stream that does not exist fails, named, with what to check',
    { timeout: 60_000 },
    async () => {
      const r = await health(['--firehose', 'missing_stream']);
      expect(r.code, r.output).toBe(1);
      const f = stage(r.checks, 'firehose');
      expect(f.ok).toBe(false);
      expect(f.detail).toMatch(
        /^Firehose has no delivery stream "missing_stream" \(.*\): check the name and the region\.$/,
      );
    },
  );

  test(
    'a Flink application that is not RUNNING fails the engine stage with the remedy',
    { timeout: 60_000 },
    async () => {
      await clients().flink.send(
        new CreateApplicationCommand({
          ApplicationName: 'livewall-job',
          RuntimeEnvironment: 'FLINK-1_20',
          ServiceExecutionRole: 'arn:aws:iam::123456789012:role/flink',
        }),
      );
      // CloudWatch says how far behind the application reads order_ds.
      await createStream(kinesisClient(kinesalite().endpoint), 'aws_order_ds', 1);
      await clients().cloudwatch.send(
        new PutMetricDataCommand({
          Namespace: 'AWS/Kinesis',
          MetricData: [
            {
              MetricName: 'GetRecords.IteratorAgeMilliseconds',
              Dimensions: [{ Name: 'StreamName', Value: 'aws_order_ds' }],
              Value: 120_000,
              Unit: 'Milliseconds',
              Timestamp: new Date(Date.now() - 60_000),
            },
          ],
        }),
      );
      const r = await health(['--flink-app', 'livewall-job', '--order-stream', 'aws_order_ds']);
      expect(r.code, r.output).toBe(1);
      const e = stage(r.checks, 'engine');
      expect(e.ok).toBe(false);
      expect(e.detail).toMatch(
        /^the Managed Flink application "livewall-job" is STARTING, not RUNNING: start it/,
      );
      expect(e.detail).toContain(
        'CloudWatch, last 15 min: aws_order_ds read up to 120 s behind its newest record',
      );
      // (A missing application is not tried: moto answers it with an HTML error page.)
    },
  );

  test(
    'a Redshift destination that is not publicly accessible is named',
    { timeout: 60_000 },
    async () => {
      await cluster('private-wh', false);
      await deliveryStream('to_private', 'private-wh');
      const r = await health(['--firehose', 'to_private']);
      expect(r.code, r.output).toBe(1);
      expect(stage(r.checks, 'firehose').detail).toMatch(
        /^Firehose "to_private" delivers to Redshift cluster "private-wh", which is not publicly accessible: .*make the cluster publicly accessible/,
      );
    },
  );

  test(
    'an ACTIVE stream to a public cluster passes, with CloudWatch figures',
    { timeout: 60_000 },
    async () => {
      await cluster('public-wh', true);
      await deliveryStream('to_public', 'public-wh', 60);
      await clients().cloudwatch.send(
        new PutMetricDataCommand({
          Namespace: 'AWS/Firehose',
          MetricData: [
            {
              MetricName: 'IncomingRecords',
              Dimensions: [{ Name: 'DeliveryStreamName', Value: 'to_public' }],
              Value: 42,
              Unit: 'Count',
              Timestamp: new Date(Date.now() - 60_000),
            },
          ],
        }),
      );
      const r = await health(['--firehose', 'to_public']);
      const f = stage(r.checks, 'firehose');
      expect(f.ok, f.detail).toBe(true);
      expect(f.detail).toMatch(
        /^Firehose "to_public" is ACTIVE, buffering 60 s into Redshift cluster "public-wh"; CloudWatch, last 15 min: 42 records in/,
      );
      expect(r.code).toBe(0);
    },
  );

  test(
    'wide rows that do not reach the warehouse fail Firehose; delivered, it passes',
    { timeout: 90_000 },
    async () => {
      await cluster('lag-wh', true);
      await deliveryStream('to_lag', 'lag-wh', 1);
      const client = kinesisClient(kinesalite().endpoint);
      await createStream(client, 'aws_dwd_ds', 1);
      const wh = new pg.Client({ connectionString: postgres().url });
      await wh.connect();
      try {
        await wh.query('CREATE TABLE customer_order (order_id INT, user_mail TEXT, ts BIGINT)');
        await wh.query('INSERT INTO customer_order VALUES (1, $1, $2)', [
          'pony@qq.com',
          Date.now() - 600_000,
        ]);
        const ts = Date.now();
        await client.send(
          new PutRecordsCommand({
            StreamName: 'aws_dwd_ds',
            Records: [2, 3, 4].map((id) => ({
              PartitionKey: String(id),
              Data: new TextEncoder().encode(
                JSON.stringify({ order_id: id, user_mail: 'pony@qq.com', op: 'insert', ts }),
              ),
            })),
          }),
        );
        const args = [
          '--firehose',
          'to_lag',
          '--dwd-stream',
          'aws_dwd_ds',
          '--warehouse',
          postgres().url,
          '--max-lag',
          '1',
        ];
        let last: Awaited<ReturnType<typeof health>> | null = null;
        await waitFor(
          'Firehose to fail on the waiting rows',
          async () => {
            last = await health(args);
            return last.code === 1 && !stage(last.checks, 'firehose').ok;
          },
          { timeoutMs: 30_000, intervalMs: 200 },
        );
        const f = stage(last!.checks, 'firehose');
        expect(f.detail).toMatch(
          /Firehose has delivered nothing to the warehouse for 10 min while aws_dwd_ds took 3 rows \(the oldest waiting \d+ s, 2 s allowed\): check the delivery stream's last error/,
        );
        expect(stage(last!.checks, 'warehouse')).toMatchObject({ ok: true });
        expect(stage(last!.checks, 'warehouse').ageMs).toBeGreaterThanOrEqual(600_000);
        // Delivered: the warehouse holds rows as new as the stream's.
        await wh.query('INSERT INTO customer_order VALUES (2, $1, $2), (3, $1, $2), (4, $1, $2)', [
          'pony@qq.com',
          ts,
        ]);
        const ok = await health(args);
        expect(stage(ok.checks, 'firehose').ok, stage(ok.checks, 'firehose').detail).toBe(true);
        expect(ok.code, ok.output).toBe(0);
      } finally {
        await wh.end();
      }
    },
  );

  test('a warehouse without customer_order says so', { timeout: 60_000 }, async () => {
    const url = postgres().url.replace(/\/postgres$/, '/template1');
    const r = await health(['--warehouse', url]);
    expect(r.code).toBe(1);
    expect(stage(r.checks, 'warehouse').detail).toMatch(
      /customer_order at .*: the table does not exist: create it/,
    );
  });
});
