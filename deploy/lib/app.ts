/** The CDK app: settings from context, the one stack, cdk-nag's AwsSolutions checks on it. */
import { resolve } from 'node:path';
import { App, Validations, type AppProps } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { suppressReviewed } from './nagSuppressions';
import { PipelineStack } from './pipelineStack';
import { readSettings } from './settings';

/** deploy/, where cdk.json lives and relative settings start. */
export const DEPLOY_DIR = resolve(import.meta.dirname, '..');

export const STACK_NAME = 'LivewallPipeline';

/** acknowledge: false leaves out the reviewed acknowledgements (to test that each still applies). */
export function buildApp(
  props: AppProps = {},
  { acknowledge = true }: { acknowledge?: boolean } = {},
): { app: App; stack: PipelineStack } {
  const app = new App(props);
  const settings = readSettings((key) => app.node.tryGetContext(key));
  const stack = new PipelineStack(app, STACK_NAME, {
    settings,
    jarPath: resolve(DEPLOY_DIR, settings.jar),
    description: 'livewall: streams, the Flink job, the warehouse, the wall policy and alarms',
  });
  if (acknowledge) suppressReviewed(stack, settings);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return { app, stack };
}
