/**
 * cdk-nag's AwsSolutions pack finds nothing unreviewed, in the default deployment and with the
 * options on; and every reviewed acknowledgement still matches a finding (a stale one would hide
 * the next real finding of its kind).
 */
import { describe, expect, test } from 'vitest';
import { buildApp } from '../../deploy/lib/app';
import { REVIEWED } from '../../deploy/lib/nagSuppressions';
import { AwsSolutionsChecks } from '../../deploy/lib/testing';
import { placeholderJar, synthesize } from './synthesized';

const variants: Array<[string, Record<string, unknown>]> = [
  ['default', {}],
  [
    'provisioned cluster, MySQL parameter group, Flink 1.20',
    { warehouse: 'provisioned', mysqlParameterGroup: 'true', flinkRuntime: '1.20' },
  ],
  ['no warehouse, no VPC', { warehouse: 'none', vpc: 'false' }],
  ['public warehouse for Firehose', { warehousePublic: 'true', firehoseCidr: '198.51.100.0/27' }],
  [
    'public provisioned cluster',
    { warehouse: 'provisioned', warehousePublic: 'true', firehoseCidr: '198.51.100.0/27' },
  ],
];

/** "path rule" of each finding; cdk-nag names the construct (constructPath) beside the types' fields. */
const findings = (stack: Parameters<AwsSolutionsChecks['validateScope']>[0]): string[] =>
  new AwsSolutionsChecks().validateScope(stack).violations.flatMap((v) => {
    const where = v as unknown as {
      violatingConstructs?: Array<{ constructPath: string }>;
      violatingResources?: Array<{ constructPath?: string; resourceLogicalId?: string }>;
    };
    const list = where.violatingConstructs ?? where.violatingResources ?? [];
    return list.map(
      (c) => `${('constructPath' in c && c.constructPath) || JSON.stringify(c)} ${v.ruleName}`,
    );
  });

describe('cdk-nag AwsSolutions', () => {
  test.each(variants)('%s: no finding left', (_name, context) => {
    // synthesize() also runs the checks as the app's validation plugin: it throws on a finding.
    const { stack } = synthesize(context);
    expect(findings(stack)).toEqual([]);
  });

  test('each acknowledgement has a reason and covers a real finding', () => {
    const raw = new Set<string>();
    for (const [, context] of variants) {
      const { stack } = buildApp(
        { context: { jar: placeholderJar(), ...context } },
        { acknowledge: false },
      );
      for (const f of findings(stack))
        raw.add(
          f
            .replace(/^LivewallPipeline\//, '')
            .replace(/\/(Resource|DefaultPolicy\/Resource)( )/, '$2'),
        );
    }
    const reviewed = REVIEWED.map((r) => `${r.path} ${r.id}`);
    expect([...raw].sort()).toEqual([...reviewed].sort());
    for (const r of REVIEWED) expect(r.reason.length, r.id).toBeGreaterThan(60);
  });
});
