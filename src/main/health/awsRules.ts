/**
 * The rules that judge what the managed stages' APIs answer: a Managed Flink application, a
 * Firehose delivery stream (with its Redshift destination), CloudWatch's figures. Pure: the calls
 * are awsProbes.ts's, which hands each answer to the reader here; the verdicts say what to do.
 */
import type { GetMetricDataOutput } from '@aws-sdk/client-cloudwatch';
import type { DescribeDeliveryStreamOutput } from '@aws-sdk/client-firehose';
import type { DescribeApplicationResponse } from '@aws-sdk/client-kinesis-analytics-v2';
import { describeAwsError } from '../kinesis/awsErrors';

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

/** DescribeApplication's answer, as what the verdict needs. */
export function flinkStateOf(name: string, out: DescribeApplicationResponse): FlinkState {
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

/** CloudWatch on the streams around a managed engine: what the data alone cannot say. */
export interface StreamFigures {
  /** The oldest unread record of the source stream, for its slowest reader (15 min max). */
  iteratorAgeMs: number | null;
  /** Records put on each output stream in the last 15 minutes. */
  incoming: Record<string, number>;
}

/** The first value of the query `id` in a GetMetricData answer, or null without one. */
export function metricValue(out: GetMetricDataOutput, id: string): number | null {
  const r = out.MetricDataResults?.find((m) => m.Id === id);
  return r?.Values && r.Values.length > 0 ? (r.Values[0] ?? null) : null;
}

/** streamFigures' GetMetricData answer (`age`, then `out0`, `out1`… for `outputs`); null: no figure. */
export function streamFiguresOf(
  out: GetMetricDataOutput,
  outputs: readonly string[],
): StreamFigures | null {
  const incoming: Record<string, number> = {};
  outputs.forEach((o, i) => {
    const v = metricValue(out, `out${i}`);
    if (v !== null) incoming[o] = v;
  });
  const iteratorAgeMs = metricValue(out, 'age');
  return iteratorAgeMs === null && Object.keys(incoming).length === 0
    ? null
    : { iteratorAgeMs, incoming };
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

/**
 * DescribeDeliveryStream's answer, as what the verdict needs (a Redshift cluster's reachability
 * is not in it: null until DescribeClusters tells), and whether it delivers to Redshift.
 */
export function firehoseStateOf(
  name: string,
  out: DescribeDeliveryStreamOutput,
): { state: FirehoseState; toRedshift: boolean } {
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
    redshift: rs?.ClusterJDBCURL
      ? { cluster: clusterOf(rs.ClusterJDBCURL), publiclyAccessible: null }
      : null,
    figures: null,
  };
  return { state, toRedshift: !!rs };
}

/** `jdbc:redshift://my-cluster.abc123.us-east-1.redshift.amazonaws.com:5439/dev` → my-cluster. */
export function clusterOf(jdbcUrl: string): string {
  const host = /\/\/([^/:]+)/.exec(jdbcUrl)?.[1] ?? jdbcUrl;
  return host.split('.')[0] ?? host;
}

/** firehoseFigures' GetMetricData answer (`incoming`, `success`); null: no figure. */
export function firehoseFiguresOf(out: GetMetricDataOutput): FirehoseState['figures'] {
  const figures = {
    incoming: metricValue(out, 'incoming'),
    deliverySuccess: metricValue(out, 'success'),
  };
  return figures.incoming === null && figures.deliverySuccess === null ? null : figures;
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
