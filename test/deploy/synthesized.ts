/**
 * The deployment's stack synthesized in-process for the template tests: a placeholder jar (the
 * templates do not depend on its content) and the settings under test as CDK context.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Template } from '../../deploy/lib/testing';
import { buildApp } from '../../deploy/lib/app';
import type { PipelineStack } from '../../deploy/lib/pipelineStack';

let placeholder: string | undefined;

/** A file standing in for flink/target/livewall-flink.jar. */
export function placeholderJar(): string {
  if (!placeholder) {
    placeholder = join(mkdtempSync(join(tmpdir(), 'livewall-deploy-')), 'livewall-flink.jar');
    writeFileSync(placeholder, 'not a jar: the templates only hash it');
  }
  return placeholder;
}

export function synthesize(context: Record<string, unknown> = {}): {
  stack: PipelineStack;
  template: Template;
  json: Record<string, unknown>;
} {
  const { stack } = buildApp({
    context: { jar: placeholderJar(), ...context },
    outdir: mkdtempSync(join(tmpdir(), 'livewall-cdk-out-')),
  });
  const template = Template.fromStack(stack);
  return { stack, template, json: template.toJSON() };
}

export interface Statement {
  Effect: string;
  Action: string | string[];
  Resource?: unknown;
  Sid?: string;
}

/** Every IAM statement of the template: inline and managed policies, and roles' own policies. */
export function statements(
  json: Record<string, unknown>,
): Array<{ resource: string; statement: Statement }> {
  const out: Array<{ resource: string; statement: Statement }> = [];
  const resources = json.Resources as Record<
    string,
    { Type: string; Properties?: Record<string, unknown> }
  >;
  for (const [id, r] of Object.entries(resources)) {
    const docs: unknown[] = [];
    const p = r.Properties ?? {};
    if (p.PolicyDocument) docs.push(p.PolicyDocument);
    if (Array.isArray(p.Policies))
      for (const pol of p.Policies) docs.push((pol as { PolicyDocument: unknown }).PolicyDocument);
    for (const doc of docs) {
      for (const statement of (doc as { Statement: Statement[] }).Statement)
        out.push({ resource: id, statement });
    }
  }
  return out;
}

export const actionsOf = (s: Statement): string[] =>
  Array.isArray(s.Action) ? s.Action : [s.Action];
