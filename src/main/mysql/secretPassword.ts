/**
 * A database password kept in AWS Secrets Manager, as the workshop recommends: the secret's
 * SecretString is either the password itself or a JSON object with a `password` field (the form
 * RDS and Redshift write). Read once per run, never logged: the source names the secret instead.
 * AWS settings are the default chain's (profile, region, AWS_ENDPOINT_URL_SECRETS_MANAGER), never
 * livewall's Kinesis --endpoint.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { AwsSettings } from '../kinesis/settings';
import {
  ACCOUNT_PASSWORD_VARS,
  envVarSource,
  type AccountRole,
  type PasswordSource,
} from './password';

/** The password in a SecretString, or null when it holds none. */
export function passwordInSecret(text: string): string | null {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    try {
      const obj = JSON.parse(trimmed) as Record<string, unknown>;
      return typeof obj.password === 'string' && obj.password !== '' ? obj.password : null;
    } catch {
      // Not JSON after all: the text is the password.
    }
  }
  return text === '' ? null : text;
}

export function secretPasswordSource(
  secretId: string,
  aws: Pick<AwsSettings, 'profile' | 'region'>,
  client: Pick<SecretsManagerClient, 'send'> = new SecretsManagerClient({
    ...(aws.profile ? { profile: aws.profile } : {}),
    ...(aws.region ? { region: aws.region } : {}),
  }),
): PasswordSource {
  let cached: Promise<string | null> | null = null;
  const name = `the AWS Secrets Manager secret ${secretId}`;
  return {
    name,
    get(): Promise<string | null> {
      cached ??= client
        .send(new GetSecretValueCommand({ SecretId: secretId }), {
          abortSignal: AbortSignal.timeout(10_000),
        })
        .then((out) => {
          const password = out.SecretString ? passwordInSecret(out.SecretString) : null;
          if (password === null)
            throw new Error(`${name} holds no password (a string, or JSON with "password")`);
          return password;
        })
        .catch((err: unknown) => {
          cached = null; // the next connection asks again
          const why = (err as { name?: string }).name ?? 'Error';
          throw new Error(
            why === 'ResourceNotFoundException'
              ? `${name} does not exist (check its name and the region)`
              : (err as Error).message.startsWith(name)
                ? (err as Error).message
                : `cannot read ${name} (${why}): it needs secretsmanager:GetSecretValue on it`,
            { cause: err },
          );
        });
      return cached;
    },
  };
}

/**
 * Where an account's password comes from, in order: its own variable (LIVEWALL_<ROLE>_PASSWORD),
 * the secret named for it, then MYSQL_PWD for a MySQL account (PostgreSQL's driver reads
 * PGPASSWORD and ~/.pgpass by itself when urlWithPassword finds nothing).
 */
export function accountPasswordSources(
  role: AccountRole,
  opts: {
    env?: NodeJS.ProcessEnv;
    secretId?: string | undefined;
    aws?: AwsSettings;
  } = {},
): PasswordSource[] {
  const env = opts.env ?? process.env;
  return [
    envVarSource(ACCOUNT_PASSWORD_VARS[role], env),
    ...(opts.secretId ? [secretPasswordSource(opts.secretId, opts.aws ?? {})] : []),
    envVarSource('MYSQL_PWD', env, true),
  ];
}

/**
 * The URL with the first source's password in it (for PostgreSQL's driver), else as given (the
 * driver then reads PGPASSWORD and ~/.pgpass). A prompt and MySQL's own variable are skipped.
 */
export async function urlWithPassword(
  url: string,
  sources: readonly PasswordSource[],
): Promise<string> {
  for (const source of sources) {
    if (source.interactive || source.mysqlOnly) continue;
    const password = await source.get({ user: '', host: '', port: 0 });
    if (password === null) continue;
    const u = new URL(url);
    u.password = encodeURIComponent(password);
    return u.toString();
  }
  return url;
}
