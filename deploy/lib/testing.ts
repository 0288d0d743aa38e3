/**
 * What test/deploy needs from deploy's own node_modules, re-exported here so the tests resolve
 * the very same aws-cdk-lib and cdk-nag as the app (the root package has neither).
 */
export { Template } from 'aws-cdk-lib/assertions';
export { AwsSolutionsChecks } from 'cdk-nag';
