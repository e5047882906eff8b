// DuckDB peer for bench/rfm_vs_peers.sh: UCI order lines -> cleaning -> RFM -> customer CSV.
//
//   node bench/duckdb_rfm.mjs orders.csv customers.csv [threads]
//
// One SQL pipeline from read_csv to COPY, on all cores unless told otherwise, with the custlens
// cleaning rules and quintile scores. Prints one JSON line: {"customers": N, "revenue": X}.
// Duplicates are not counted: they are kept either way, so the customer table is the same.
import os from 'node:os';

import {DuckDBInstance} from '@duckdb/node-api';

const [source, target, threadsArg] = process.argv.slice(2);
if (!source || !target) {
  console.error('usage: node duckdb_rfm.mjs ORDERS.csv CUSTOMERS.csv [THREADS]');
  process.exit(2);
}
const threads = Number(threadsArg ?? os.cpus().length);
const dateFormats = ['%m/%d/%Y %H:%M', '%Y-%m-%d %H:%M:%S', '%Y-%m-%d %H:%M', '%Y-%m-%d'];

const quote = (text) => `'${text.replaceAll("'", "''")}'`;

// Every field as text, so a bad number or date is a rejected row rather than a failed read;
// rows with the wrong field count are skipped by ignore_errors (they are malformed).
const readLines = `read_csv(${quote(source)}, header = true, delim = ',', quote = '"',
    escape = '"', all_varchar = true, ignore_errors = true)`;

const instance = await DuckDBInstance.create(':memory:', {threads: String(threads)});
const connection = await instance.connect();

// One date format per file: the one that parses most of the first 1000 rows.
const sample = await connection.runAndReadAll(`
  WITH head AS (SELECT InvoiceDate FROM ${readLines} LIMIT 1000)
  SELECT ${dateFormats.map((f, i) => `count(try_strptime(InvoiceDate, ${quote(f)})) AS f${i}`).join(', ')}
  FROM head`);
const counts = sample.getRows()[0].map(Number);
const dateFormat = dateFormats[counts.indexOf(Math.max(...counts))];

await connection.run(`
  CREATE TEMP TABLE customers AS
  WITH parsed AS (
    SELECT trim(InvoiceNo) AS invoice,
           regexp_replace(trim(coalesce(CustomerID, '')), '^([+-]?[0-9]+)\\.0+$', '\\1')
             AS customer_id,
           TRY_CAST(Quantity AS DOUBLE) AS quantity,
           TRY_CAST(UnitPrice AS DOUBLE) AS price,
           try_strptime(InvoiceDate, ${quote(dateFormat)}) AS ts
    FROM ${readLines}),
  kept AS (
    SELECT * FROM parsed
    WHERE quantity IS NOT NULL AND price IS NOT NULL AND ts IS NOT NULL
      AND customer_id <> '' AND NOT starts_with(coalesce(invoice, ''), 'C')
      AND quantity > 0 AND price > 0),
  per_customer AS (
    SELECT customer_id, min(ts) AS first_purchase, max(ts) AS last_purchase,
           count(DISTINCT invoice) AS frequency, sum(quantity * price) AS monetary
    FROM kept GROUP BY customer_id),
  dated AS (
    SELECT *,
           date_diff('day', CAST(last_purchase AS DATE), as_of) AS recency_days,
           date_diff('day', CAST(first_purchase AS DATE), as_of) AS tenure_days,
           count(*) OVER () AS n
    FROM per_customer,
         (SELECT CAST(max(last_purchase) AS DATE) + 1 AS as_of FROM per_customer)),
  scored AS (
    SELECT *,
           1 + (5 * (rank() OVER (ORDER BY recency_days DESC) - 1)) // n AS r_score,
           1 + (5 * (rank() OVER (ORDER BY frequency) - 1)) // n AS f_score,
           1 + (5 * (rank() OVER (ORDER BY floor(monetary * 1e6 + 0.5)) - 1)) // n AS m_score
    FROM dated)
  SELECT customer_id, recency_days, frequency, monetary, first_purchase, last_purchase,
         r_score, f_score, m_score, concat(r_score, f_score, m_score) AS rfm_code,
         CASE WHEN r_score >= 4 AND f_score >= 4 AND m_score >= 4 THEN 'Champions'
              WHEN r_score >= 3 AND f_score >= 3 AND m_score >= 3 THEN 'Loyal'
              WHEN r_score >= 3 THEN 'Potential'
              WHEN r_score = 1 THEN 'Lost'
              ELSE 'General' END AS segment,
         tenure_days, monetary / frequency AS avg_order_value
  FROM scored`);

await connection.run(`
  COPY (
    SELECT customer_id, recency_days, frequency, printf('%.2f', monetary) AS monetary,
           strftime(first_purchase, '%Y-%m-%d %H:%M:%S') AS first_purchase,
           strftime(last_purchase, '%Y-%m-%d %H:%M:%S') AS last_purchase,
           r_score, f_score, m_score, rfm_code, segment, tenure_days,
           printf('%.2f', avg_order_value) AS avg_order_value
    FROM customers ORDER BY customer_id
  ) TO ${quote(target)} (HEADER, DELIMITER ',', QUOTE '"')`);

const totals = await connection.runAndReadAll(
    'SELECT count(*) AS customers, sum(monetary) AS revenue FROM customers');
const [customers, revenue] = totals.getRows()[0];
console.log(JSON.stringify({customers: Number(customers), revenue: Number(revenue)}));
