import { describe, expect, test } from 'vitest';
import { parseConfig } from '../../../src/main/app/config';
import { pipelineSettings } from '../../../src/main/cli/pipelineFlags';
import { hasPipelineStages, pipelinePlan } from '../../../src/main/health/plan';

describe('the pipeline block', () => {
  test('every key, checked', () => {
    const c = parseConfig({
      pipeline: {
        mysql: 'mysql://shop@db:3306/demo',
        customers: 'postgres://reader@wh:5439/dev',
        orderStream: 'order_ds',
        metricStream: 'metric_ds',
        dwdStream: 'dwd_customer_order_ds',
        flinkApplication: 'livewall-job',
        firehose: 'dwd_to_rs',
        warehouse: 'redshift://loader@wh:5439/dev',
        maxLagSeconds: 30,
      },
    });
    expect(c.ok && c.value.pipeline.maxLagSeconds).toBe(30);
    expect(
      parseConfig({}).ok && (parseConfig({}) as { value: { pipeline: object } }).value.pipeline,
    ).toEqual({});
  });

  test.each([
    [{ pipeline: [] }, 'config: "pipeline" must be an object'],
    [{ pipeline: { orderStreams: 'x' } }, 'config: unknown setting "pipeline.orderStreams"'],
    [{ pipeline: { password: 'x' } }, 'config: "pipeline.password" looks like a secret'],
    [
      { pipeline: { mysql: 'http://db' } },
      'config: "pipeline.mysql" must be a URL such as mysql://',
    ],
    [
      { pipeline: { warehouse: 'mysql://db/x' } },
      'config: "pipeline.warehouse" must be a URL such as postgres://',
    ],
    [
      { pipeline: { mysql: 'mysql://shop:pw@db/demo' } },
      'config: "pipeline.mysql" holds a password',
    ],
    [{ pipeline: { firehose: 'a b' } }, 'config: "pipeline.firehose" must be a name'],
    [{ pipeline: { maxLagSeconds: 0 } }, 'config: "pipeline.maxLagSeconds" must be 1 to 86400'],
    [{ pipeline: { maxLagSeconds: '60' } }, 'config: "pipeline.maxLagSeconds" must be 1 to 86400'],
  ])('%j is refused', (input, error) => {
    const r = parseConfig(input);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toContain(error);
    expect(!r.ok && r.error).not.toContain(':pw@');
  });

  test('flags win over the block; a password in a flag URL is kept (the user typed it)', () => {
    const p = pipelineSettings(
      { 'order-stream': 'flag_ds', 'max-lag': '2', mysql: 'mysql://shop:pw@db/demo' },
      { orderStream: 'file_ds', metricStream: 'metric_ds', maxLagSeconds: 60 },
    );
    expect(p).toEqual({
      orderStream: 'flag_ds',
      metricStream: 'metric_ds',
      maxLagSeconds: 2,
      mysql: 'mysql://shop:pw@db/demo',
    });
    expect(() => pipelineSettings({ 'dwd-stream': 'a b' }, {})).toThrow(
      '--dwd-stream must be a name of letters, digits, _ . - (1 to 128)',
    );
    expect(() => pipelineSettings({ warehouse: 'mysql://x/y' }, {})).toThrow(
      '--warehouse must be a URL such as postgres://',
    );
  });

  test('a plan only when a stage beyond MySQL and the customers is named', () => {
    expect(hasPipelineStages({ mysql: 'mysql://a@b/c', customers: 'mysql://a@b/c' })).toBe(false);
    const none = pipelinePlan({ mysql: 'mysql://a@b/c' }, { kinesis: {}, passwords: () => [] });
    expect(none).toEqual({ ok: true, value: null });
    const plan = pipelinePlan(
      { orderStream: 'o', firehose: 'f', maxLagSeconds: 5 },
      { kinesis: { region: 'us-east-1', endpoint: 'http://127.0.0.1:1' }, passwords: () => [] },
    );
    expect(plan.ok && plan.value?.maxLagMs).toBe(5_000);
    expect(plan.ok && plan.value?.kinesis?.target).toContain('endpoint http://127.0.0.1:1');
    // --endpoint stays Kinesis's: the managed stages' target names no endpoint.
    expect(plan.ok && plan.value?.aws?.target).toBe('region us-east-1');
  });
});
