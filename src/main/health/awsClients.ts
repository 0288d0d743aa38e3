/**
 * The AWS clients of the managed stages (Managed Service for Apache Flink, Firehose, Redshift,
 * CloudWatch): the default credential chain, one attempt, bounded time; and the one patch they need
 * to read a stand-in's answers. Endpoints: the SDK's own settings (AWS_ENDPOINT_URL_FIREHOSE,
 * AWS_ENDPOINT_URL, ...); the `--endpoint` flag stays Kinesis's, so kinesalite and another
 * stand-in can serve one run.
 */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { FirehoseClient } from '@aws-sdk/client-firehose';
import { KinesisAnalyticsV2Client } from '@aws-sdk/client-kinesis-analytics-v2';
import { RedshiftClient } from '@aws-sdk/client-redshift';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { NodeHttpHandler } from '@smithy/node-http-handler';
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
