import type { HealthWords } from '@shared/healthWords';
import type { Messages } from './messages';

const WEEKDAYS = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];

/** "4 秒", "3 分钟", "2 小时": an age as the pipeline strip says it. */
function age(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 90) return `${s} 秒`;
  const min = Math.round(s / 60);
  return min < 90 ? `${min} 分钟` : `${Math.round(min / 60)} 小时`;
}

/** Each process of a hop: its name, and what to do when it stalls. */
const PROCESS = {
  cdc: {
    name: '变更捕获',
    remedy:
      '请启动变更捕获进程或查看其日志；若日志说找不到起始的日志文件，说明记下的位置已被清除，请从当前位置重新开始',
  },
  engine: {
    name: '计算引擎',
    remedy:
      '请启动计算引擎并查看其日志；托管的 Flink 应用必须处于运行状态，部署在私有网络内时还需要能访问数据流的出口（网关或终端节点）',
  },
  firehose: {
    name: '投递流',
    remedy: '请查看投递流最近一次的错误；数仓必须能被投递服务访问，导入语句也必须执行成功',
  },
  load: {
    name: '数仓导入进程',
    remedy: '请启动数仓导入进程并查看其日志：数仓无法访问或有数据无法导入时，日志中会说明',
  },
} as const;

/** A hop's end as the data names it; the warehouse by its stage name. */
const end = (name: string): string => (name === 'warehouse' ? '数仓' : name);

function hopWords(w: Extract<HealthWords, { code: 'hop-ok' | 'hop-stalled' }>): string {
  const from = end(w.from);
  const to = end(w.to);
  const waiting = `${w.atLeast ? '至少 ' : ''}${w.waiting} 条`;
  const newest =
    w.downstreamAgeMs === null
      ? `${to} 最近 ${age(w.windowMs)}内没有新数据`
      : `${to} 的最新数据在 ${age(w.downstreamAgeMs)}前`;
  if (w.code === 'hop-ok') {
    return w.oldestAgeMs === null
      ? `${from} → ${to}：没有待处理的数据；${newest}`
      : `${from} → ${to}：${waiting}正在传输，最早的已等待 ${age(w.oldestAgeMs)}（允许 ${age(w.allowedMs)}）；${newest}`;
  }
  const p = PROCESS[w.process];
  const since =
    w.downstreamAgeMs === null ? `最近 ${age(w.windowMs)}内` : `已有 ${age(w.downstreamAgeMs)}`;
  return `${p.name}${since}没有向 ${to} 写入任何数据，而 ${from} 有 ${waiting}在等待（最早的已等待 ${age(w.oldestAgeMs ?? 0)}，允许 ${age(w.allowedMs)}）：${p.remedy}`;
}

function healthWords(w: HealthWords): string {
  switch (w.code) {
    case 'hop-ok':
    case 'hop-stalled':
      return hopWords(w);
    case 'cannot-tell':
      return `无法判断${PROCESS[w.process].name}是否跟上：${end(w.silent)} 没有响应（见该环节一行）`;
    case 'embedded-ok':
      return `模拟下单 → 变更日志 → 计算引擎 → 大屏：${w.orders} 笔测试订单全部准确计入`;
    case 'embedded-lost':
      return `内置演示管道丢失了订单：发出 ${w.sent} 单，大屏只计入 ${w.seen} 单`;
    case 'embedded-failed':
      return '内置演示管道运行出错，请重启应用';
    case 'timeout':
      return `${w.seconds} 秒内没有响应：请检查网络与该服务是否在运行`;
    case 'stream-fresh':
      return w.newestAgeMs === null
        ? `${w.stream}：${w.shards} 个分片，最近 ${age(w.windowMs)}内没有新记录`
        : `${w.stream}：${w.shards} 个分片，最新记录在 ${age(w.newestAgeMs)}前写入`;
    case 'mysql-fresh':
      return w.newestAgeMs === null ? '订单表为空' : `订单表最新一次变更在 ${age(w.newestAgeMs)}前`;
    case 'warehouse-fresh':
      return w.newestAgeMs === null
        ? `共 ${w.rows} 行，还没有新数据`
        : `共 ${w.rows} 行，最新一行在 ${age(w.newestAgeMs)}前写入`;
  }
}

export const zh: Messages = {
  locale: 'zh-CN',
  showsServerText: false,
  title: '实时订单大屏',
  kpi: {
    gmv: '今日成交额',
    orders: '订单数',
    aov: '客单价',
    soldOrders: '成交单',
    cancelled: '取消单',
    buyers: '买家数',
  },
  trend: {
    title: '每分钟趋势',
    orders: '订单数',
    gmv: '成交额 ¥',
    lastSixtySeconds: '虚线末端：最近 60 秒',
    gmvBooked: '按下单时间计入',
    gmvBookedLong: '成交额计入订单创建的那一分钟：订单付款后，已结束的分钟仍会增加',
  },
  cities: {
    title: '城市成交额前八',
    value: (money, orders) => `¥${money} · ${orders} 单`,
    unknown: '未知城市',
  },
  status: {
    title: '订单状态',
    names: {
      unpaid: '待支付',
      paid: '已支付',
      cancel: '已取消',
      shipping: '配送中',
      finished: '已完成',
    },
  },
  header: {
    health: '健康检查',
    healthTitle: {
      unknown: '数据管道健康：尚未检查',
      ok: '数据管道健康：全部通过',
      failed: '数据管道健康：有检查未通过',
    },
    sources: { embedded: '内置演示', kinesis: '实时数据流' },
    sourceState: { ok: '正常', connecting: '连接中', error: '出错' },
    noSource: '数据源 —',
    engines: { engine: '计算引擎', flink: 'Flink 作业', 'managed-flink': '托管 Flink' },
    workshopRecords: '工作坊作业记录',
    behind: (s) => `落后 ${s} 秒`,
    noDataYet: '暂无数据',
    updatedSeconds: (n) => `${n} 秒前更新`,
    updatedMinutes: (n) => `${n} 分钟前更新`,
    updatedHours: (n) => `${n} 小时前更新`,
    date: ({ year, month, day, weekday }) =>
      `${year}年${month}月${day}日 ${WEEKDAYS[weekday] ?? ''}`,
  },
  banner: {
    source: { connecting: '正在连接数据源…', error: '数据源出错，正在重试' },
    noDataYet: '尚未收到数据',
    noDataSince: (time) => `自 ${time} 起没有新数据`,
  },
  burst: {
    title: '模拟下单',
    target: '写入位置',
    targets: { embedded: '内置演示表' },
    ordersInput: '下单数量',
    send: '发送',
    nowhere: '没有可写入订单的数据库：请在配置文件中设置数据库地址',
    sending: (n) => `正在发送 ${n} 单…`,
    summary: (i, u, f) => `新增 ${i} 单，更新 ${u} 单，失败 ${f} 单`,
    progressInserted: (i, t) => `已新增 ${i} / ${t} 单`,
    progressUpdated: (n) => `更新 ${n} 单`,
    progressFailed: (n) => `失败 ${n} 单`,
    progressSteps: (n) => `还剩 ${n} 步`,
    progressLabel: '模拟下单进度',
    failed: '模拟下单失败',
    passwordPlaceholder: '数据库密码',
    passwordSave: '保存到系统钥匙串',
    passwordSaving: '正在保存…',
    passwordFailed: '密码未保存',
    passwordSaved: '密码已保存',
  },
  health: {
    title: '数据管道健康检查',
    close: '✕ 关闭',
    closeLabel: '关闭健康检查',
    checking: '检查中…',
    none: '没有配置需要检查的环节',
    allPass: (n, one) => (one ? '1 个环节通过' : `${n} 个环节全部通过`),
    someFailed: (f, n) => `${n} 个环节中 ${f} 个未通过`,
    checkedAt: (t) => `检查于 ${t}`,
    runFailed: '健康检查无法运行',
    passed: '通过',
    failed: '未通过',
    escCloses: '点击卡片外关闭',
    runAgain: '重新检查',
    words: healthWords,
    detailPassed: '检查通过',
    detailUnworded: '未通过：原因与处理办法暂无中文说明，请在中英双语界面中查看',
  },
  pipeline: {
    title: '数据管道',
    checking: '检查中…',
    nothing: '未配置环节',
    failedRun: '无法检查',
    newest: '最新数据',
    stages: {
      mysql: '订单库',
      cdc: '变更捕获',
      order_ds: '订单流',
      engine: '计算引擎',
      metric_ds: '指标流',
      dwd: '明细流',
      firehose: '投递流',
      load: '数仓导入',
      warehouse: '数仓',
      customers: '客户维表',
      'embedded pipeline': '内置演示',
    },
    ageSeconds: (n) => `${n} 秒`,
    ageMinutes: (n) => `${n} 分钟`,
    ageHours: (n) => `${n} 小时`,
  },
};
