/**
 * The AWS-managed stages: a Managed Service for Apache Flink application, a Firehose delivery
 * stream (with its Redshift destination), and CloudWatch figures where they say more than the
 * data itself. Each probe makes a fixed, small number of calls (README: Health).
 * Endpoints: the SDK's own settings (AWS_ENDPOINT_URL_FIREHOSE, AWS_ENDPOINT_URL, ...); the
 * `--endpoint` flag stays Kinesis's, so kinesalite and another stand-in can serve one run.
 */
import {
  CloudWatchClient,
  GetMetricDataCommand,
  type MetricDataQuery,
} from '@aws-sdk/client-cloudwatch';
import { DescribeDeliveryStreamCommand, FirehoseClient } from '@aws-sdk/client-firehose';
import {
  DescribeApplicationCommand,
  KinesisAnalyticsV2Client,
} from '@aws-sdk/client-kinesis-analytics-v2';
import { DescribeClustersCommand, RedshiftClient } from '@aws-sdk/client-redshift';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { describeAwsError } from '../kinesis/awsErrors';
import type { AwsSettings } from '../kinesis/settings';

export interface AwsClients {
  flink: Pick<KinesisAnalyticsV2Client, 'send'>;
  firehose: Pick<FirehoseClient, 'send'>;
  redshift: Pick<RedshiftClient, 'send'>;
  cloudwatch: Pick<CloudWatchClient, 'send'>;
  /** describeTarget-like, for sentences. */
  target: string;
}

/** Clients for the managed stages: the default credential chain, one attempt, bounded time. */
export function createAwsClients(settings: AwsSettings): AwsClients {
  const config = {
    ...(settings.region ? { region: settings.region } : {}),
    credentials: fromNodeProviderChain(settings.profile ? { profile: settings.profile } : {}),
    requestHandler: new NodeHttpHandler({
      connectionTimeout: 3_000,
      requestTimeout: 10_000,
      throwOnRequestTimeout: true,
    }),
    // The next run is the retry: a throttled probe says so instead of waiting.
    maxAttempts: 1,
  };
  const parts = [settings.region ? `region ${settings.region}` : null];
  if (settings.profile) parts.push(`profile ${settings.profile}`);
  const flink = new KinesisAnalyticsV2Client(config);
  tolerateIsoTimes(flink);
  return {
    flink,
    firehose: new FirehoseClient(config),
    redshift: new RedshiftClient(config),
    cloudwatch: new CloudWatchClient(config),
    target: parts.filter(Boolean).join(', ') || 'the default AWS settings',
  };
}

/**
 * AWS sends JSON timestamps as epoch seconds; some compatible endpoints (moto, which the tests
 * use) send ISO-8601 strings, which the SDK refuses to read. Rewritten to epoch seconds before the
 * SDK reads the body, so livewall works against both. A body that is not JSON passes untouched.
 */
export function tolerateIsoTimes(client: Pick<KinesisAnalyticsV2Client, 'middlewareStack'>): void {
  client.middlewareStack.add(
    (next) => async (args) => {
      const out = await next(args);
      const response = out.response as { body?: unknown } | undefined;
      const body = response?.body;
      if (
        !response ||
        !body ||
        typeof (body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator] !== 'function'
      )
        return out;
      const chunks: Uint8Array[] = [];
      for await (const c of body as AsyncIterable<Uint8Array>) chunks.push(c);
      const text = Buffer.concat(chunks).toString('utf8');
      const fixed = text.replace(
        /"(\w*(?:Timestamp|Time|Date)\w*)"\s*:\s*"(\d{4}-\d\d-\d\dT[^"]+)"/g,
        (whole, key: string, iso: string) => {
          const ms = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(iso) ? iso : `${iso}Z`);
          return Number.isFinite(ms) ? `"${key}":${ms / 1000}` : whole;
        },
      );
      response.body = new Uint8Array(Buffer.from(fixed, 'utf8'));
      return out;
    },
    { step: 'deserialize', priority: 'low', name: 'livewallIsoTimes' },
  );
}

/** An AWS error of a managed stage as a sentence (credentials and throttling as awsErrors says). */
export function describeServiceError(
  err: unknown,
  service: string,
  resource: string,
  target: string,
): string {
  const info = describeAwsError(err, { stream: resource, target });
  const message = ((err as Error)?.message ?? String(err)).split('\n')[0];
  switch (info.kind) {
    case 'credentials':
    case 'region':
      return info.sentence;
    case 'throttled':
      return `${service} is throttling livewall's calls for ${resource} (${target}); the next run tries again.`;
    case 'not-found':
      return `${service} has no ${resource} (${target}): check the name and the region.`;
    case 'network':
      return `Cannot reach ${service} (${target}): ${message}.`;
    default:
      return `${service} refused a request for ${resource} (${target}): ${message}`;
  }
}

export interface FlinkState {
  name: string;
  status: string;
  /** The VPC the application runs in, or null outside a VPC. */
  vpc: { vpcId: string; subnets: string[] } | null;
}

/** One DescribeApplication call. */
export async function describeFlink(
  client: Pick<KinesisAnalyticsV2Client, 'send'>,
  name: string,
  signal?: AbortSignal,
): Promise<FlinkState> {
  const out = await client.send(new DescribeApplicationCommand({ ApplicationName: name }), {
    abortSignal: signal,
  });
  const d = out.ApplicationDetail;
  const vpc = d?.ApplicationConfigurationDescription?.VpcConfigurationDescriptions?.[0];
  return {
    name,
    status: d?.ApplicationStatus ?? 'UNKNOWN',
    vpc: vpc ? { vpcId: vpc.VpcId ?? '?', subnets: vpc.SubnetIds ?? [] } : null,
  };
}

/**
 * A Flink application is healthy when RUNNING and its outputs keep up. Inside a VPC it reaches
 * Kinesis only through a NAT gateway or a VPC endpoint: the workshop's trap, named when the
 * application runs but its outputs fall behind.
 */
export function judgeFlink(
  app: FlinkState,
  outputsBehind: boolean,
): { ok: boolean; detail: string } {
  if (app.status !== 'RUNNING') {
    return {
      ok: false,
      detail: `the Managed Flink application "${app.name}" is ${app.status}, not RUNNING: start it (console or \`aws kinesisanalyticsv2 start-application\`) and check its CloudWatch log for why it stopped`,
    };
  }
  if (app.vpc && outputsBehind) {
    return {
      ok: false,
      detail: `the Managed Flink application "${app.name}" is RUNNING inside ${app.vpc.vpcId} but writes nothing: a VPC application reaches Kinesis only through a NAT gateway or a Kinesis VPC endpoint in its subnets (${app.vpc.subnets.join(', ') || 'none listed'}): add one`,
    };
  }
  return {
    ok: !outputsBehind,
    detail: `the Managed Flink application "${app.name}" is RUNNING${app.vpc ? ` in ${app.vpc.vpcId}` : ''}`,
  };
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

/** CloudWatch on the streams around a managed engine: what the data alone cannot say. */
export interface StreamFigures {
  /** The oldest unread record of the source stream, for its slowest reader (15 min max). */
  iteratorAgeMs: number | null;
  /** Records put on each output stream in the last 15 minutes. */
  incoming: Record<string, number>;
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
  try {
    const out = await cloudwatch.send(
      new GetMetricDataCommand({
        StartTime: new Date(now() - 900_000),
        EndTime: new Date(now()),
        MetricDataQueries: [
          query('age', source, 'GetRecords.IteratorAgeMilliseconds', 'Maximum'),
          ...outputs.map((o, i) => query(`out${i}`, o, 'IncomingRecords', 'Sum')),
        ],
      }),
      { abortSignal: signal },
    );
    const value = (id: string): number | null => {
      const r = out.MetricDataResults?.find((m) => m.Id === id);
      return r?.Values && r.Values.length > 0 ? (r.Values[0] ?? null) : null;
    };
    const incoming: Record<string, number> = {};
    outputs.forEach((o, i) => {
      const v = value(`out${i}`);
      if (v !== null) incoming[o] = v;
    });
    const iteratorAgeMs = value('age');
    return iteratorAgeMs === null && Object.keys(incoming).length === 0
      ? null
      : { iteratorAgeMs, incoming };
  } catch {
    // Figures are extra: a missing cloudwatch:GetMetricData permission must not fail the stage.
    return null;
  }
}

/** "CloudWatch, last 15 min: order_ds read up to 3 min behind; metric_ds took 1200 records". */
export function describeStreamFigures(source: string, f: StreamFigures): string {
  const parts: string[] = [];
  if (f.iteratorAgeMs !== null)
    parts.push(
      `${source} read up to ${Math.round(f.iteratorAgeMs / 1000)} s behind its newest record`,
    );
  for (const [stream, n] of Object.entries(f.incoming)) parts.push(`${stream} took ${n} records`);
  return `CloudWatch, last 15 min: ${parts.join('; ')}`;
}

export interface FirehoseState {
  name: string;
  status: string;
  failure: string | null;
  /** Seconds Firehose buffers before it delivers (the warehouse hop's grace). */
  bufferSeconds: number;
  /** A Redshift destination: its cluster and whether Firehose can reach it. */
  redshift: { cluster: string; publiclyAccessible: boolean | null } | null;
  /** CloudWatch's last 15 minutes, when it has figures. */
  figures: { incoming: number | null; deliverySuccess: number | null } | null;
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
  const d = out.DeliveryStreamDescription;
  const dest = d?.Destinations?.[0];
  const rs = dest?.RedshiftDestinationDescription;
  const hints =
    rs?.S3DestinationDescription?.BufferingHints ??
    dest?.ExtendedS3DestinationDescription?.BufferingHints ??
    dest?.S3DestinationDescription?.BufferingHints;
  const state: FirehoseState = {
    name,
    status: d?.DeliveryStreamStatus ?? 'UNKNOWN',
    failure: d?.FailureDescription
      ? `${d.FailureDescription.Type ?? 'error'}: ${d.FailureDescription.Details ?? ''}`.trim()
      : null,
    bufferSeconds: hints?.IntervalInSeconds ?? 300,
    redshift: null,
    figures: null,
  };
  if (rs?.ClusterJDBCURL) {
    const cluster = clusterOf(rs.ClusterJDBCURL);
    let publiclyAccessible: boolean | null = null;
    try {
      const c = await clients.redshift.send(
        new DescribeClustersCommand({ ClusterIdentifier: cluster }),
        { abortSignal: signal },
      );
      publiclyAccessible = c.Clusters?.[0]?.PubliclyAccessible ?? null;
    } catch {
      // A cluster we may not describe (another account, Serverless): say nothing of it.
    }
    state.redshift = { cluster, publiclyAccessible };
  }
  state.figures = await firehoseFigures(clients.cloudwatch, name, !!rs, signal, now);
  return state;
}

/** `jdbc:redshift://my-cluster.abc123.us-east-1.redshift.amazonaws.com:5439/dev` → my-cluster. */
export function clusterOf(jdbcUrl: string): string {
  const host = /\/\/([^/:]+)/.exec(jdbcUrl)?.[1] ?? jdbcUrl;
  return host.split('.')[0] ?? host;
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
  try {
    const out = await cloudwatch.send(
      new GetMetricDataCommand({
        StartTime: new Date(now() - 900_000),
        EndTime: new Date(now()),
        MetricDataQueries: [
          metric('incoming', 'IncomingRecords', 'Sum'),
          ...(redshift ? [metric('success', 'DeliveryToRedshift.Success', 'Average')] : []),
        ],
      }),
      { abortSignal: signal },
    );
    const value = (id: string): number | null => {
      const r = out.MetricDataResults?.find((m) => m.Id === id);
      return r?.Values && r.Values.length > 0 ? (r.Values[0] ?? null) : null;
    };
    const figures = { incoming: value('incoming'), deliverySuccess: value('success') };
    return figures.incoming === null && figures.deliverySuccess === null ? null : figures;
  } catch {
    // Figures are extra: a missing cloudwatch:GetMetricData permission must not fail the stage.
    return null;
  }
}

/** Firehose's verdict from its description alone (the hop's lag is judged beside it). */
export function judgeFirehose(f: FirehoseState): { ok: boolean; detail: string } {
  const figures = f.figures
    ? `; CloudWatch, last 15 min: ${f.figures.incoming ?? 0} records in${
        f.figures.deliverySuccess !== null
          ? `, ${Math.round(f.figures.deliverySuccess * 100)}% of Redshift deliveries succeeded`
          : ''
      }`
    : '';
  if (f.status !== 'ACTIVE') {
    return {
      ok: false,
      detail: `Firehose "${f.name}" is ${f.status}${f.failure ? ` (${f.failure})` : ''}: wait until it is ACTIVE, or fix the error and create it again`,
    };
  }
  if (f.redshift && f.redshift.publiclyAccessible === false) {
    return {
      ok: false,
      detail: `Firehose "${f.name}" delivers to Redshift cluster "${f.redshift.cluster}", which is not publicly accessible: Firehose cannot reach it; make the cluster publicly accessible and allow Firehose's address range in its security group${figures}`,
    };
  }
  if (
    f.figures?.deliverySuccess !== null &&
    f.figures?.deliverySuccess !== undefined &&
    f.figures.deliverySuccess < 1
  ) {
    return {
      ok: false,
      detail: `Firehose "${f.name}" fails to deliver to Redshift${figures}: see the delivery stream's error log (the COPY command, the table's columns, the IAM role)`,
    };
  }
  if (f.failure) {
    return { ok: false, detail: `Firehose "${f.name}" reports ${f.failure}${figures}` };
  }
  return {
    ok: true,
    detail: `Firehose "${f.name}" is ACTIVE, buffering ${f.bufferSeconds} s${f.redshift ? ` into Redshift cluster "${f.redshift.cluster}"` : ''}${figures}`,
  };
}
