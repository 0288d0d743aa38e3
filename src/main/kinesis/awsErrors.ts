/**
 * Turns an AWS SDK error into what to do and a sentence a person understands. Never a stack
 * trace, never a secret.
 */

export type AwsErrorKind =
  | 'throttled'
  | 'expired-iterator'
  | 'not-found'
  | 'credentials'
  | 'region'
  | 'network'
  | 'invalid'
  | 'other';

export interface AwsErrorInfo {
  kind: AwsErrorKind;
  sentence: string;
}

export interface AwsErrorContext {
  stream: string;
  /** describeTarget(settings). */
  target: string;
}

const CREDENTIAL_ERRORS = new Set([
  'CredentialsProviderError',
  'ExpiredTokenException',
  'ExpiredToken',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'InvalidClientTokenId',
  'AccessDeniedException',
  'TokenRefreshRequired',
  'SSOTokenProviderFailure',
]);
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'TimeoutError',
  'RequestTimeout',
]);

export function describeAwsError(err: unknown, ctx: AwsErrorContext): AwsErrorInfo {
  const e = (err ?? {}) as {
    name?: string;
    code?: string;
    message?: string;
    $metadata?: { httpStatusCode?: number };
  };
  const name = e.name ?? '';
  const code = e.code ?? '';
  const message = (e.message ?? String(err)).split('\n')[0] ?? '';
  if (
    name === 'ProvisionedThroughputExceededException' ||
    name === 'LimitExceededException' ||
    name === 'ThrottlingException'
  ) {
    return {
      kind: 'throttled',
      sentence: `Kinesis is throttling reads of ${ctx.stream}; slowing down.`,
    };
  }
  if (name === 'ExpiredIteratorException') {
    return {
      kind: 'expired-iterator',
      sentence: `A shard iterator of ${ctx.stream} expired; renewing it.`,
    };
  }
  if (name === 'ResourceNotFoundException') {
    return {
      kind: 'not-found',
      sentence: `Stream "${ctx.stream}" was not found (${ctx.target}): check the stream name and the region.`,
    };
  }
  if (CREDENTIAL_ERRORS.has(name) || /credential|security token|signature/i.test(message)) {
    const expired = /expired/i.test(name + message);
    return {
      kind: 'credentials',
      sentence: expired
        ? `The AWS credentials have expired (${ctx.target}): sign in again (for SSO: aws sso login).`
        : `No usable AWS credentials (${ctx.target}): set a profile (--profile or AWS_PROFILE), sign in with SSO, or set the AWS environment variables.`,
    };
  }
  if (/region/i.test(message) && /missing|invalid/i.test(message)) {
    return {
      kind: 'region',
      sentence: `No AWS region is set: use --region or AWS_REGION, or set one in the profile.`,
    };
  }
  if (
    NETWORK_CODES.has(code) ||
    NETWORK_CODES.has(name) ||
    /ECONNREFUSED|ENOTFOUND|socket hang up|EAI_AGAIN|ETIMEDOUT|ECONNRESET/.test(message)
  ) {
    return { kind: 'network', sentence: `Cannot reach Kinesis (${ctx.target}): ${message}.` };
  }
  if (name === 'InvalidArgumentException' || name === 'ValidationException') {
    return { kind: 'invalid', sentence: `Kinesis refused a request for ${ctx.stream}: ${message}` };
  }
  return {
    kind: 'other',
    sentence: `Reading ${ctx.stream} failed (${ctx.target}): ${name ? `${name}: ` : ''}${message}`,
  };
}
