/** One payload per push of the table, unlike anything a transport sends by itself. */
import type { PushChannels } from '../../src/shared/channels';

export const PUSH_SAMPLES: PushChannels = {
  'metrics.batch': {
    records: [
      {
        name: 'orders',
        value: 41,
        occur: 1_764_000_000_000,
        window: '1d',
        start: 1_763_913_600_000,
        dims: { city: '西安' },
      },
    ],
    lastRecordAt: 7,
    stale: true,
  },
  'source.status': { source: 'kinesis', state: 'error', message: 'metric_ds is throttled' },
  'burst.progress': {
    burstId: 4,
    target: 'mysql',
    requested: 1000,
    inserted: 333,
    updated: 12,
    failed: 0,
    pendingSteps: 9,
  },
};
