/**
 * The demo shop's vocabulary: its customers (its cities are shared data, @shared/demoCities) and
 * the five statuses. The embedded `customer` dimension is derived from it.
 *
 * The workshop's generator (write_db.py) picks one of four mail addresses, so its Buyers count
 * stops at 4 for the day and GMV by level is four people's. The demo instead has a population:
 * 20,000 customers (levels skewed to the low ones, both sexes), a few percent of mails with no
 * `customer` row (guests, as real data has them), and a core of regulars who place a share of
 * the orders, so the day's buyers grow the way a shop's do and repeat buyers are a plausible
 * minority. `simulate --workshop-mails` keeps the workshop's four addresses.
 */
import { seededRandom, type Random } from '../lib/random';

export interface Customer {
  email: string;
  level: number;
  sex: string;
}

/** The four addresses of the workshop's write_db.py. */
export const WORKSHOP_MAILS: readonly string[] = [
  'barry.xu@163.com',
  'dandan@qq.com',
  'pony@qq.com',
  'focus@qq.com',
];

export const POPULATION_SIZE = 20_000;
/** The first customers are the regulars: they place REGULAR_SHARE of the orders. */
export const REGULARS = 1_000;
export const REGULAR_SHARE = 0.3;
/** One address in this many has no `customer` row. */
const GUEST_EVERY = 40;

const NAMES = [
  'wang', 'li', 'zhang', 'liu', 'chen', 'yang', 'huang', 'zhao', 'wu', 'zhou',
  'xu', 'sun', 'ma', 'zhu', 'hu', 'guo', 'he', 'lin', 'luo', 'gao',
  'mei', 'lucy', 'jack', 'anna', 'tom', 'pony', 'wei', 'xin', 'yan', 'jun',
]; // prettier-ignore
const DOMAINS = ['qq.com', '163.com', '126.com', 'sina.com', 'gmail.com', 'aliyun.com'];
/** Levels 1–5, most customers at the low ones. */
const LEVEL_WEIGHTS = [0.4, 0.25, 0.18, 0.12, 0.05];

function level(r: number): number {
  let acc = 0;
  for (let i = 0; i < LEVEL_WEIGHTS.length; i++) {
    acc += LEVEL_WEIGHTS[i]!;
    if (r < acc) return i + 1;
  }
  return LEVEL_WEIGHTS.length;
}

/** The embedded lookup's answer: a customer's level and sex, which never change here. */
export interface DemoAnswer {
  level: number;
  sex: string;
  /** The demo dimension is fixed: an answer stands for ever (the engine reuses it per order). */
  until: number;
}

interface Population {
  mails: string[];
  customers: Customer[];
  byMail: Map<string, DemoAnswer>;
}

let population: Population | null = null;

/** Made once, the same on every machine (a fixed seed): the simulator and the dimension agree. */
function demoPopulation(): Population {
  if (population) return population;
  const rnd = seededRandom(20_261_207);
  const mails: string[] = [];
  const customers: Customer[] = [];
  const byMail = new Map<string, DemoAnswer>();
  for (let i = 0; i < POPULATION_SIZE; i++) {
    const name = NAMES[Math.floor(rnd() * NAMES.length)]!;
    const domain = DOMAINS[Math.floor(rnd() * DOMAINS.length)]!;
    // The index keeps every address distinct and within the workshop's varchar(20).
    const email = `${name}${i}@${domain}`.slice(0, 20);
    const c: Customer = { email, level: level(rnd()), sex: rnd() < 0.52 ? 'F' : 'M' };
    mails.push(email);
    if (i % GUEST_EVERY === GUEST_EVERY - 1) continue;
    customers.push(c);
    byMail.set(email, { level: c.level, sex: c.sex, until: Infinity });
  }
  population = { mails, customers, byMail };
  return population;
}

/** Every address that places demo orders (guests included). */
export function demoMails(): readonly string[] {
  return demoPopulation().mails;
}

/** The embedded `customer` dimension's rows. */
export function demoCustomers(): readonly Customer[] {
  return demoPopulation().customers;
}

/** The embedded dimension lookup: a known customer's level and sex, or null (no such customer). */
export function demoCustomer(email: string): DemoAnswer | null {
  return demoPopulation().byMail.get(email) ?? null;
}

/** Who places the next demo order: a regular for REGULAR_SHARE of orders, else anyone. */
export function pickDemoMail(rnd: Random): string {
  const mails = demoPopulation().mails;
  const pool = rnd() < REGULAR_SHARE ? REGULARS : mails.length;
  return mails[Math.floor(rnd() * pool)]!;
}

/** The workshop generator's choice: one of its four addresses. */
export function pickWorkshopMail(rnd: Random): string {
  return WORKSHOP_MAILS[Math.floor(rnd() * WORKSHOP_MAILS.length)]!;
}
