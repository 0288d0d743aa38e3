/**
 * Alarms to one SNS topic: the two streams' iterator age (a reader falling behind), the Flink
 * application's downtime and restarts, Firehose's delivery to Redshift.
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import type { DeploySettings } from './settings';
import type { Streams } from './streams';

export class Alarms extends Construct {
  readonly topic: sns.Topic;

  constructor(
    scope: Construct,
    id: string,
    s: DeploySettings,
    streams: Streams,
    withFirehose: boolean,
  ) {
    super(scope, id);
    this.topic = new sns.Topic(this, 'Topic', { displayName: 'livewall alarms', enforceSSL: true });
    if (s.alarmEmail) this.topic.addSubscription(new subscriptions.EmailSubscription(s.alarmEmail));
    const notify = new actions.SnsAction(this.topic);
    const add = (alarmId: string, props: cloudwatch.AlarmProps): void => {
      const alarm = new cloudwatch.Alarm(this, alarmId, props);
      alarm.addAlarmAction(notify);
      alarm.addOkAction(notify);
    };

    for (const [alarmId, stream, name] of [
      ['OrderStreamIteratorAge', streams.order, s.orderStream],
      ['MetricStreamIteratorAge', streams.metric, s.metricStream],
    ] as const) {
      add(alarmId, {
        alarmDescription: `${name}: its reader is more than a minute behind`,
        metric: stream.metricGetRecordsIteratorAgeMilliseconds({
          statistic: 'Maximum',
          period: Duration.minutes(1),
        }),
        threshold: 60_000,
        evaluationPeriods: 5,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        // No reader, no data: the Flink alarms below say when the reader itself is gone.
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    }

    const flink = (metricName: string, period: Duration): cloudwatch.Metric =>
      new cloudwatch.Metric({
        namespace: 'AWS/KinesisAnalytics',
        metricName,
        dimensionsMap: { Application: s.flinkApplication },
        statistic: 'Maximum',
        period,
      });
    add('FlinkDowntime', {
      alarmDescription: `${s.flinkApplication}: the job is down (failing or restarting)`,
      metric: flink('downtime', Duration.minutes(1)),
      threshold: 0,
      evaluationPeriods: 3,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      // A stopped application reports nothing: that is down too.
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });
    add('FlinkRestarts', {
      alarmDescription: `${s.flinkApplication}: the job restarted`,
      metric: new cloudwatch.MathExpression({
        expression: 'DIFF(restarts)',
        usingMetrics: { restarts: flink('fullRestarts', Duration.minutes(5)) },
        period: Duration.minutes(5),
        label: 'restarts in 5 minutes',
      }),
      threshold: 0,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    if (withFirehose) {
      add('FirehoseDelivery', {
        alarmDescription: `${s.firehose}: COPY into Redshift is failing`,
        metric: new cloudwatch.Metric({
          namespace: 'AWS/Firehose',
          metricName: 'DeliveryToRedshift.Success',
          dimensionsMap: { DeliveryStreamName: s.firehose },
          statistic: 'Minimum',
          period: Duration.minutes(5),
        }),
        threshold: 1,
        evaluationPeriods: 3,
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        // Nothing to deliver reports nothing: not a failure.
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    }
  }
}
