/**
 * The warehouse's tables (contract 3's columns, so Firehose's `COPY … json 'auto'` maps them by
 * name) and the view BI reads: the newest row of each order, deletes dropped, so each order
 * counts once, as `livewall load` does.
 */
export const WAREHOUSE_SQL: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS customer (
  email varchar(64) NOT NULL PRIMARY KEY,
  level int NOT NULL,
  sex varchar(20) NOT NULL
)`,
  `CREATE TABLE IF NOT EXISTS customer_order (
  order_id bigint NOT NULL,
  user_mail varchar(64),
  status varchar(32),
  good_count int,
  city varchar(64),
  amount decimal(12, 2),
  create_time timestamp,
  update_time timestamp,
  sex varchar(20),
  level int,
  op varchar(8) NOT NULL,
  ts bigint NOT NULL
)`,
  `CREATE OR REPLACE VIEW customer_order_current AS
SELECT order_id, user_mail, status, good_count, city, amount, create_time, update_time, sex, level, ts
FROM (
  SELECT order_id, user_mail, status, good_count, city, amount, create_time, update_time, sex, level,
    op, ts, ROW_NUMBER() OVER (PARTITION BY order_id ORDER BY ts DESC) AS rn
  FROM customer_order
) AS newest
WHERE rn = 1 AND op <> 'delete'`,
];
