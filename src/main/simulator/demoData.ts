/**
 * The workshop generator's vocabulary: a few customers, cities (Chinese names included, as real
 * data has them) and the five statuses. The embedded `customer` dimension is derived from it.
 */

export interface Customer {
  email: string;
  level: number;
  sex: string;
}

export const DEMO_CUSTOMERS: readonly Customer[] = [
  { email: 'pony@qq.com', level: 5, sex: 'M' },
  { email: 'jack@163.com', level: 3, sex: 'M' },
  { email: 'lucy@gmail.com', level: 2, sex: 'F' },
  { email: 'mei@qq.com', level: 4, sex: 'F' },
  { email: 'tom@126.com', level: 1, sex: 'M' },
  { email: 'anna@sina.com', level: 3, sex: 'F' },
  { email: 'wei@aliyun.com', level: 2, sex: 'M' },
];

/** Mail addresses that place orders; the last has no `customer` row, as happens in real data. */
export const DEMO_MAILS: readonly string[] = [
  ...DEMO_CUSTOMERS.map((c) => c.email),
  'guest@example.com',
];

export const DEMO_CITIES: readonly string[] = [
  '北京',
  '上海',
  '广州',
  '深圳',
  '杭州',
  '成都',
  '西安',
  '武汉',
  '南京',
  '重庆',
];

/** The embedded dimension lookup: a known customer's level and sex, or null (no such customer). */
export function demoCustomer(email: string): Customer | null {
  return DEMO_CUSTOMERS.find((c) => c.email === email) ?? null;
}
