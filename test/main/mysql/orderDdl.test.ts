/**
 * The workshop tables' DDL is written once (ORDER_TABLE_DDL and CUSTOMER_TABLE_DDL in
 * src/main/mysql/orderSchema.ts): the TypeScript code and tests use it, and the Flink job's SQL
 * oracle, which cannot import it, keeps a copy that must say the same.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, test } from 'vitest';
import { CUSTOMER_TABLE_DDL, ORDER_TABLE_DDL } from '../../../src/main/mysql/orderSchema';

const ROOT = join(__dirname, '..', '..', '..');
/** A statement creating the order table with the workshop's columns. */
const PASTE = /CREATE TABLE (IF NOT EXISTS )?\\?`order\\?`[^;]*update_time/i;
/** A statement creating the workshop's customer table (a test's own shape, say varchar(64), is not). */
const CUSTOMER_PASTE = /CREATE TABLE (IF NOT EXISTS )?customer \(\s*email varchar\(20\)/i;
const JAVA_ORACLE = 'flink/src/test/java/livewall/flink/it/SqlOracle.java';

/** The DDL without layout: one space between words, none around brackets and commas. */
const normal = (sql: string): string =>
  sql
    .replace(/\s+/g, ' ')
    .replace(/\s*([(),])\s*/g, '$1')
    .trim();

/** The Java string literal (a + concatenation) that creates a table. */
function javaDdl(java: string, table: RegExp): string {
  const call = new RegExp(`"CREATE TABLE[^"]*${table.source}[^;]*;`).exec(java)?.[0];
  if (!call) throw new Error(`${JAVA_ORACLE} creates no table ${table.source}`);
  return [...call.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]).join('');
}

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory()
      ? files(path)
      : /\.(ts|tsx|mjs|cjs)$/.test(name)
        ? [path]
        : [];
  });
}

describe('the order table DDL', () => {
  test("the Flink oracle's copy says the same as ORDER_TABLE_DDL", () => {
    const java = javaDdl(readFileSync(join(ROOT, JAVA_ORACLE), 'utf8'), /`order`/);
    expect(normal(java)).toBe(normal(ORDER_TABLE_DDL));
  });

  test("the Flink oracle's customer table says the same as CUSTOMER_TABLE_DDL", () => {
    const java = javaDdl(readFileSync(join(ROOT, JAVA_ORACLE), 'utf8'), /customer /);
    expect(normal(java)).toBe(normal(CUSTOMER_TABLE_DDL));
  });

  test('the comparison sees a changed column', () => {
    const changed = ORDER_TABLE_DDL.replace('city varchar(20)', 'city varchar(40)');
    expect(normal(changed)).not.toBe(normal(ORDER_TABLE_DDL));
  });

  test("no other TypeScript file pastes the workshop's tables", () => {
    const own = join(ROOT, 'src', 'main', 'mysql', 'orderSchema.ts');
    const pasted = ['src', 'test', 'bench', 'scripts', 'deploy/lib']
      .flatMap((d) => files(join(ROOT, d)))
      .filter((f) => f !== own && f !== __filename)
      // A table of another shape (orderSink's latin1 one, say) is a test's own; the workshop's is not.
      .filter((f) => {
        const text = readFileSync(f, 'utf8');
        return PASTE.test(text) || CUSTOMER_PASTE.test(text);
      })
      .map((f) => relative(ROOT, f));
    expect(pasted).toEqual([]);
  });
});
