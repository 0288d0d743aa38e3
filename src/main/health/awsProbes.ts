/**
 * The calls to the managed stages: a Managed Service for Apache Flink application, a Firehose
 * delivery stream (with its Redshift destination), and CloudWatch figures where they say more
 * than the data itself. Each probe makes a fixed, small number of calls (docs/health.md); what
 * they answer is judged in awsRules.ts.
 */
import {
  GetMetricDataCommand,
  type CloudWatchClient,
  type GetMetricDataOutput,
  type MetricDataQuery,
} from '@aws-sdk/client-cloudwatch';
import { DescribeDeliveryStreamCommand } from '@aws-sdk/client-firehose';
import {
  DescribeApplicationCommand,
  type KinesisAnalyticsV2Client,
} from '@aws-sdk/client-kinesis-analytics-v2';
import { DescribeClustersCommand } from '@aws-sdk/client-redshift';
import type { AwsClients } from './awsClients';
import {
  firehoseFiguresOf,
  firehoseStateOf,
  flinkStateOf,
  streamFiguresOf,
  type FirehoseState,
  type FlinkState,
  type StreamFigures,
} from './awsRules';

/** One DescribeApplication call. */
export async function describeFlink(
  client: Pick<KinesisAnalyticsV2Client, 'send'>,
  name: string,
  signal?: AbortSignal,
): Promise<FlinkState> {
  const out = await client.send(new DescribeApplicationCommand({ ApplicationName: name }), {
    abortSignal: signal,
  });
  return flinkStateOf(name, out);
}

/** One CloudWatch figure over the last 15 minutes (one period), for GetMetricData. */
function metricQuery(
  id: string,
  namespace: string,
  dimension: { Name: string; Value: string },
  metricName: string,
  stat: string,
): MetricDataQuery {
  return {
    Id: id,
    MetricStat: {
      Metric: { Namespace: namespace, MetricName: metricName, Dimensions: [dimension] },
      Period: 900,
      Stat: stat,
    },
  };
}

/** One GetMetricData: GetRecords.IteratorAgeMilliseconds of the source, IncomingRecords of outputs. */
export async function streamFigures(
  cloudwatch: Pick<CloudWatchClient, 'send'>,
  source: string,
  outputs: readonly string[],
  signal?: AbortSignal,
  now: () => number = Date.now,
): Promise<StreamFigures | null> {
  const query = (id: string, stream: string, metricName: string, stat: string): MetricDataQuery =>
    metricQuery(id, 'AWS/Kinesis', { Name: 'StreamName', Value: stream }, metricName, stat);
  const out = await lastQuarterHour(
    cloudwatch,
    [
      query('age', source, 'GetRecords.IteratorAgeMilliseconds', 'Maximum'),
      ...outputs.map((o, i) => query(`out${i}`, o, 'IncomingRecords', 'Sum')),
    ],
    signal,
    now,
  );
  return out && streamFiguresOf(out, outputs);
}

/** DescribeDeliveryStream, then DescribeClusters (Redshift destination), then one GetMetricData. */
export async function describeFirehose(
  clients: Pick<AwsClients, 'firehose' | 'redshift' | 'cloudwatch'>,
  name: string,
  signal?: AbortSignal,
  now: () => number = Date.now,
): Promise<FirehoseState> {
  const out = await clients.firehose.send(
    new DescribeDeliveryStreamCommand({ DeliveryStreamName: name }),
    { abortSignal: signal },
  );
  const { state, toRedshift } = firehoseStateOf(name, out);
  if (state.redshift) {
    try {
      const c = await clients.redshift.send(
        new DescribeClustersCommand({ ClusterIdentifier: state.redshift.cluster }),
        { abortSignal: signal },
      );
      state.redshift.publiclyAccessible = c.Clusters?.[0]?.PubliclyAccessible ?? null;
    } catch {
      // A cluster we may not describe (another account, Serverless): say nothing of it.
    }
  }
  state.figures = await firehoseFigures(clients.cloudwatch, name, toRedshift, signal, now);
  return state;
}

async function firehoseFigures(
  cloudwatch: Pick<CloudWatchClient, 'send'>,
  name: string,
  redshift: boolean,
  signal: AbortSignal | undefined,
  now: () => number,
): Promise<FirehoseState['figures']> {
  const metric = (id: string, metricName: string, stat: string): MetricDataQuery =>
    metricQuery(id, 'AWS/Firehose', { Name: 'DeliveryStreamName', Value: name }, metricName, stat);
  const out = await lastQuarterHour(
    cloudwatch,
    [
      metric('incoming', 'IncomingRecords', 'Sum'),
      ...(redshift ? [metric('success', 'DeliveryToRedshift.Success', 'Average')] : []),
    ],
    signal,
    now,
  );
  return out && firehoseFiguresOf(out);
}

/** One GetMetricData over the last 15 minutes; null when CloudWatch does not answer. */
async function lastQuarterHour(
  cloudwatch: Pick<CloudWatchClient, 'send'>,
  queries: MetricDataQuery[],
  signal: AbortSignal | undefined,
  now: () => number,
): Promise<GetMetricDataOutput | null> {
  try {
    return await cloudwatch.send(
      new GetMetricDataCommand({
        StartTime: new Date(now() - 900_000),
        EndTime: new Date(now()),
        MetricDataQueries: queries,
      }),
      { abortSignal: signal },
    );
  } catch {
    // Figures are extra: a missing cloudwatch:GetMetricData permission must not fail the stage.
    return null;
  }
}
