/**
 * `zh+en`, the screen as it always was: labels (titles, KPIs, legends, statuses, buttons) carry
 * both languages; sentences that change as they run (freshness, progress, results) stay English,
 * so the header and the simulator strip fit; dates and axis numbers follow Chinese conventions.
 */
import { en } from './en';
import type { Messages } from './messages';
import { zh } from './zh';

const pair = (a: string, b: string): string => (a === b ? a : `${a} ${b}`);

function pairAll<K extends string>(a: Record<K, string>, b: Record<K, string>): Record<K, string> {
  const out = {} as Record<K, string>;
  for (const k of Object.keys(a) as K[]) out[k] = pair(a[k], b[k]);
  return out;
}

export const zhEn: Messages = {
  ...en,
  locale: zh.locale,
  showsServerText: true,
  title: `livewall · ${zh.title}`,
  kpi: pairAll(zh.kpi, en.kpi),
  trend: {
    ...pairAll(zh.trend, en.trend),
    gmv: '成交额 GMV ¥',
    lastSixtySeconds: en.trend.lastSixtySeconds,
    gmvBooked: pair(zh.trend.gmvBooked, en.trend.gmvBooked),
    gmvBookedLong: en.trend.gmvBookedLong,
  },
  cities: { ...zh.cities, title: pair(zh.cities.title, en.cities.title) },
  status: {
    title: pair(zh.status.title, en.status.title),
    names: pairAll(zh.status.names, en.status.names),
  },
  header: {
    ...en.header,
    health: pair(zh.header.health, en.header.health),
    // Short pairs: the header's one line holds the title, the chips and the clock at 1366 px.
    sources: { embedded: '内置演示 Demo', kinesis: 'Kinesis 数据流' },
    date: zh.header.date,
    engines: { engine: 'livewall 引擎', flink: 'Flink 作业', 'managed-flink': '托管 Flink' },
    workshopRecords: pair(zh.header.workshopRecords, en.header.workshopRecords),
  },
  burst: {
    ...en.burst,
    title: pair(zh.burst.title, en.burst.title),
    send: pair(zh.burst.send, en.burst.send),
  },
  health: {
    ...en.health,
    title: pair(zh.health.title, en.health.title),
    runAgain: pair(zh.health.runAgain, en.health.runAgain),
  },
  pipeline: {
    ...en.pipeline,
    title: pair(zh.pipeline.title, en.pipeline.title),
    stages: pairAll(zh.pipeline.stages, en.pipeline.stages),
  },
};
