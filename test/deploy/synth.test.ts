/**
 * The CDK CLI's synth, as `npm run synth` runs it (deploy/cdk.json's app), offline and with no
 * AWS credentials, then cfn-lint on what it wrote. cfn-lint lives in a virtualenv that .ci/run
 * makes (LIVEWALL_CFNLINT_VENV, default .venv-cfnlint in the repository).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { ROOT } from '../support/livewall';
import { placeholderJar, synthesize } from './synthesized';

function cfnLintPath(): string {
  const venv = process.env.LIVEWALL_CFNLINT_VENV ?? join(ROOT, '.venv-cfnlint');
  const bin = join(venv, 'bin', 'cfn-lint');
  if (!existsSync(bin)) {
    throw new Error(
      `cfn-lint is not installed at ${venv}: run the cfn-lint step of .ci/run (python3 -m venv ${venv} && ${venv}/bin/pip install cfn-lint), or set LIVEWALL_CFNLINT_VENV`,
    );
  }
  return bin;
}

describe('cdk synth and cfn-lint', () => {
  const out = mkdtempSync(join(tmpdir(), 'livewall-synth-'));
  let templates: string[] = [];

  beforeAll(() => {
    const cdk = join(ROOT, 'deploy', 'node_modules', '.bin', 'cdk');
    const env: NodeJS.ProcessEnv = { ...process.env, AWS_EC2_METADATA_DISABLED: 'true' };
    // No credentials of any kind: synth must not need them.
    for (const k of [
      'AWS_ACCESS_KEY_ID',
      'AWS_SECRET_ACCESS_KEY',
      'AWS_SESSION_TOKEN',
      'AWS_PROFILE',
      'AWS_REGION',
    ]) {
      delete env[k];
    }
    env.AWS_CONFIG_FILE = join(out, 'no-config');
    env.AWS_SHARED_CREDENTIALS_FILE = join(out, 'no-credentials');
    const r = spawnSync(
      cdk,
      [
        'synth',
        '--quiet',
        '--no-notices',
        '-c',
        `jar=${placeholderJar()}`,
        '-o',
        join(out, 'cdk.out'),
      ],
      {
        cwd: join(ROOT, 'deploy'),
        env,
        encoding: 'utf8',
        timeout: 180_000,
      },
    );
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
    templates = readdirSync(join(out, 'cdk.out'))
      .filter((f) => f.endsWith('.template.json'))
      .map((f) => join(out, 'cdk.out', f));
  }, 200_000);

  test('writes the stack template, with no hard-coded partition', () => {
    expect(templates.map((t) => t.split('/').pop())).toEqual(['LivewallPipeline.template.json']);
    for (const t of templates) expect(readFileSync(t, 'utf8')).not.toContain('arn:aws:');
  });

  test('cfn-lint reports nothing, with and without the options', () => {
    // The options' templates, synthesized in-process beside the CLI's.
    const variants = [
      { warehouse: 'none', vpc: 'false' },
      {
        warehouse: 'provisioned',
        mysqlParameterGroup: 'true',
        flinkRuntime: '1.20',
        warehousePublic: 'true',
        firehoseCidr: '198.51.100.0/27',
      },
    ].map((context, i) => {
      const file = join(out, `variant-${i}.template.json`);
      writeFileSync(file, JSON.stringify(synthesize(context).json));
      return file;
    });
    const r = spawnSync(cfnLintPath(), ['--format', 'parseable', ...templates, ...variants], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(r.error).toBeUndefined();
    // parseable: file:line:col:line:col:RULE:message
    const findings = r.stdout
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => {
        const parts = l.split(':');
        return `${parts[5]} ${parts.slice(6).join(':')}`;
      });
    expect(findings.filter((f) => f.startsWith('E'))).toEqual([]);
    expect(findings).toEqual([]);
    expect(r.status).toBe(0);
  }, 300_000);
});
