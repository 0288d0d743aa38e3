import type { Messages } from './messages';

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export const en: Messages = {
  locale: 'en-GB',
  showsServerText: true,
  title: 'livewall · Live orders',
  kpi: {
    gmv: 'GMV today',
    orders: 'Orders',
    aov: 'Avg order value',
    soldOrders: 'Sold orders',
    cancelled: 'Cancelled orders',
    buyers: 'Buyers',
  },
  trend: {
    title: 'Per minute',
    orders: 'Orders',
    gmv: 'GMV ¥',
    inProgress: 'this minute, still counting (at its pace so far)',
  },
  cities: {
    title: 'Top 8 cities by GMV',
    value: (money, orders) => `¥${money} · ${orders} orders`,
    unknown: '(unknown city)',
  },
  status: {
    title: 'Orders by status',
    names: {
      unpaid: 'Unpaid',
      paid: 'Paid',
      cancel: 'Cancelled',
      shipping: 'Shipping',
      finished: 'Finished',
    },
  },
  header: {
    health: 'Health',
    healthTitle: {
      unknown: 'Pipeline health: not checked yet',
      ok: 'Pipeline health: every check passed',
      failed: 'Pipeline health: a check failed',
    },
    sources: { embedded: 'Demo pipeline', kinesis: 'Kinesis' },
    sourceState: { ok: 'ok', connecting: 'connecting', error: 'error' },
    noSource: 'source —',
    behind: (s) => `${s} s behind`,
    noDataYet: 'no data yet',
    updatedSeconds: (n) => `updated ${n} s ago`,
    updatedMinutes: (n) => `updated ${n} min ago`,
    updatedHours: (n) => `updated ${n} h ago`,
    date: ({ year, month, day, weekday }) =>
      `${WEEKDAYS[weekday] ?? ''} ${day} ${MONTHS[month - 1] ?? ''} ${year}`,
  },
  banner: {
    source: { connecting: 'Connecting to the data source…', error: 'The data source failed' },
    noDataYet: 'No data received yet',
    noDataSince: (time) => `No new data since ${time}`,
  },
  burst: {
    title: 'Order simulator',
    target: 'Where the orders go',
    targets: { embedded: 'Embedded demo' },
    ordersInput: 'Orders to send',
    send: 'Send',
    nowhere:
      'Bursts need somewhere to write orders: configure MySQL (mysql.url in livewall.config.json).',
    sending: (n) => `sending ${n} orders…`,
    summary: (i, u, f) => `inserted ${i}, updated ${u}, failed ${f}`,
    progressInserted: (i, t) => `inserted ${i} of ${t}`,
    progressUpdated: (n) => `updated ${n}`,
    progressFailed: (n) => `failed ${n}`,
    progressSteps: (n, one) => `${n} ${one ? 'step' : 'steps'} left`,
    progressLabel: 'Burst progress',
    failed: 'The burst failed',
    passwordPlaceholder: 'MySQL password',
    passwordSave: 'Save to keychain',
    passwordSaving: 'saving…',
    passwordFailed: 'The password was not saved',
    passwordSaved: 'The password was saved',
  },
  health: {
    title: 'Pipeline health',
    close: '✕ Close',
    closeLabel: 'Close the health checks',
    checking: 'checking…',
    none: 'no stage is configured to check',
    allPass: (n, one) => (one ? 'the one stage passes' : `all ${n} stages pass`),
    someFailed: (f, n, one) => `${f} of ${n} ${one ? 'stage' : 'stages'} failed`,
    checkedAt: (t) => `checked at ${t}`,
    runFailed: 'The health checks could not run',
    passed: 'passed',
    failed: 'failed',
    escCloses: 'Esc closes',
    runAgain: 'Run again',
  },
};
