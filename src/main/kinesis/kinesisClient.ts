/**
 * A Kinesis client from livewall's settings: credentials through the SDK's default chain (named
 * profile, SSO, environment, process), and an HTTP/1.1 handler, which works against AWS and
 * against Kinesis-compatible endpoints such as kinesalite (whose HTTP/2 support is missing).
 */
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { AwsSettings } from './settings';

export function createKinesisClient(
  settings: AwsSettings,
  tuning: { requestTimeoutMs?: number } = {},
): KinesisClient {
  return new KinesisClient({
    ...(settings.region ? { region: settings.region } : {}),
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
    credentials: fromNodeProviderChain(settings.profile ? { profile: settings.profile } : {}),
    // A request that hangs fails after 10 s (by default the SDK only logs a warning and waits on),
    // so a stuck connection becomes an error the reader reports and retries.
    requestHandler: new NodeHttpHandler({
      connectionTimeout: 3_000,
      requestTimeout: tuning.requestTimeoutMs ?? 10_000,
      throwOnRequestTimeout: true,
    }),
    // livewall retries with its own backoff, so that every failure is seen and shown.
    maxAttempts: 1,
  });
}
