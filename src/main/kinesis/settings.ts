/**
 * Where AWS calls go: flags over the environment over the shared config files, as the AWS CLI
 * does. Credentials are never part of these settings; the SDK's default chain finds them.
 */
import { redactUrl } from '../lib/redactUrl';

export interface AwsSettings {
  profile?: string;
  region?: string;
  endpoint?: string;
}

/**
 * The effective settings for Kinesis, as the AWS CLI ranks them: command-line flags, then the
 * environment, then livewall's config file.
 */
export function kinesisSettings(
  flags: AwsSettings,
  env: NodeJS.ProcessEnv = process.env,
  file: AwsSettings = {},
): AwsSettings {
  const out: AwsSettings = {};
  const profile = flags.profile ?? env.AWS_PROFILE ?? file.profile;
  const region = flags.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? file.region;
  const endpoint =
    flags.endpoint ?? env.AWS_ENDPOINT_URL_KINESIS ?? env.AWS_ENDPOINT_URL ?? file.endpoint;
  if (profile) out.profile = profile;
  if (region) out.region = region;
  if (endpoint) out.endpoint = endpoint;
  return out;
}

/** A short description for status lines and logs: never a secret. */
export function describeTarget(s: AwsSettings): string {
  const parts = [
    s.endpoint ? `endpoint ${redactUrl(s.endpoint)}` : null,
    s.region ? `region ${s.region}` : null,
  ];
  if (s.profile) parts.push(`profile ${s.profile}`);
  return parts.filter(Boolean).join(', ') || 'the default AWS settings';
}
