/**
 * moto in server mode: the stand-in for the AWS services kinesalite does not cover (Managed
 * Flink's kinesisanalyticsv2, Firehose, CloudWatch, Redshift). It lives in a Python virtualenv
 * that .ci/run creates (`LIVEWALL_MOTO_VENV`, default `.venv-moto` in the repo root).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { ROOT } from './livewall';
import { onFreePort } from './ports';
import { spawnManaged, track, waitFor, type ManagedProcess } from './processes';

export interface Moto {
  readonly endpoint: string;
  /** Environment for a livewall child: every non-Kinesis AWS service at moto, fake credentials. */
  env(): NodeJS.ProcessEnv;
  dispose(): Promise<void>;
}

export const MOTO_CREDENTIALS = {
  accessKeyId: 'AKIDLIVEWALLTEST',
  secretAccessKey: 'livewall-test-secret',
};

/** The venv's moto_server, or an error that says how to get it. */
export function motoServerPath(): string {
  const venv = process.env.LIVEWALL_MOTO_VENV ?? join(ROOT, '.venv-moto');
  const bin = join(venv, 'bin', 'moto_server');
  if (!existsSync(bin)) {
    throw new Error(
      `moto is not installed at ${venv}: run the moto step of .ci/run (python3 -m venv ${venv} && ${venv}/bin/pip install "moto[server]"), or set LIVEWALL_MOTO_VENV`,
    );
  }
  return bin;
}

async function launch(bin: string, port: number): Promise<ManagedProcess> {
  const proc = spawnManaged(`moto_server :${port}`, bin, ['-H', '127.0.0.1', '-p', String(port)]);
  await waitFor(
    'moto to answer',
    async () => {
      const res = await fetch(`http://127.0.0.1:${port}/moto-api/`).catch(() => null);
      return res !== null && res.status < 500;
    },
    { timeoutMs: 30_000, intervalMs: 100, process: proc },
  );
  return proc;
}

export async function startMoto(): Promise<Moto> {
  const bin = motoServerPath();
  const { port, proc } = await onFreePort(async (p) => ({ port: p, proc: await launch(bin, p) }));
  const endpoint = `http://127.0.0.1:${port}`;
  const stop = (): Promise<void> => proc.stop(2_000);
  const untrack = track(proc.name, stop);
  return {
    endpoint,
    env: () => ({
      AWS_ENDPOINT_URL_FIREHOSE: endpoint,
      AWS_ENDPOINT_URL_KINESIS_ANALYTICS_V2: endpoint,
      AWS_ENDPOINT_URL_CLOUDWATCH: endpoint,
      AWS_ENDPOINT_URL_REDSHIFT: endpoint,
      AWS_ACCESS_KEY_ID: MOTO_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: MOTO_CREDENTIALS.secretAccessKey,
      AWS_REGION: 'us-east-1',
    }),
    async dispose(): Promise<void> {
      untrack();
      await stop();
    },
  };
}

/** moto for this file or describe block (see lifecycle.ts). */
export function useMoto(): () => Moto {
  let moto: Moto | undefined;
  beforeAll(async () => {
    moto = await startMoto();
  }, 60_000);
  afterAll(async () => {
    await moto?.dispose();
    moto = undefined;
  });
  return () => {
    if (!moto) throw new Error('moto is not running (did its beforeAll fail?)');
    return moto;
  };
}
