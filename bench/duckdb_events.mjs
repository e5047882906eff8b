// DuckDB peer for bench/events_vs_peers.sh: a Taobao-layout behaviour log -> the cleaning audit,
// KPIs, day and hour tables, top categories and items, the `ordered` windowFunnel and day
// retention cohorts of `custlens events --json` (docs/events.md), all in SQL.
//
//   node bench/duckdb_events.mjs LOG.csv [--header] [--tz UTC] [--funnel pv,cart,buy]
//                                [--window 86400] [--threads N] [--temp-dir DIR]
//
// Prints one JSON object with the keys of `custlens events --json` it computes: audit, kpis,
// funnel (mode ordered: steps), retention (period day, event any), hours, days, categories,
// items, tz. No lifecycle, no breakdowns, no --steps-map, --dedup, week/month periods or
// date-time text timestamps.
//
// What it reads: the columns user_id,item_id,category_id,behavior_type,timestamp in this order
// (headerless, the bench's case; --header skips a first line). Every field is read as text:
//   * malformed = rows the CSV reader rejects (a wrong field count; also an unterminated quote or
//     bad UTF-8) + rows whose trimmed timestamp is not an integer or decimal number + rows whose
//     trimmed behaviour is not pv, fav, cart or buy (docs/events.md's rule for the headerless
//     layout; with --header other behaviours are malformed here too, unlike custlens);
//   * missing_customer = the rest with an empty trimmed user;
//   * duplicates = kept rows - distinct kept rows over the five raw fields;
//   * blank lines are skipped by the reader and not counted (as docs/csv.md).
// Audit and the kept events are two scans of the file (the first groups the rows by their raw
// fields, the second fills the events table), because the exact duplicate count needs every raw
// field and the events table keeps them trimmed and parsed.
//
// The funnel is ClickHouse's windowFunnel made exact as docs/events.md says, with window
// functions: entries are the funnel events ordered per user by (timestamp, step index); for each
// level i > 1 a running max over the earlier entries gives start[i-1] (the latest start of a
// chain at level i - 1) and at[i-1], and an entry of step i at t makes a level-i chain when
// t <= start[i-1] + window. Step names must be distinct (each event is one entry).
import os from 'node:os';

import {DuckDBInstance} from '@duckdb/node-api';

const args = process.argv.slice(2);
const options = {header: false, tz: 'UTC', funnel: null, window: 86400, threads: os.cpus().length};
let source = null;
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === '--header') options.header = true;
  else if (a === '--tz') options.tz = args[++i];
  else if (a === '--funnel') options.funnel = args[++i];
  else if (a === '--window') options.window = Number(args[++i]);
  else if (a === '--threads') options.threads = Number(args[++i]);
  else if (a === '--temp-dir') options.tempDir = args[++i];
  else if (!a.startsWith('--') && source === null) source = a;
  else {
    console.error(`duckdb_events: unknown argument ${a}`);
    process.exit(2);
  }
}
if (!source || !Number.isInteger(options.window) || options.window < 0) {
  console.error('usage: node duckdb_events.mjs LOG.csv [--header] [--tz Z] [--funnel S1,S2,...] ' +
                '[--window SECONDS] [--threads N] [--temp-dir DIR]');
  process.exit(2);
}
const steps = (options.funnel ?? 'pv,cart,buy').split(',').map((s) => s.trim());
if (new Set(steps).size !== steps.length || steps.length < 1) {
  console.error('duckdb_events: funnel steps must be distinct names');
  process.exit(2);
}

const quote = (text) => `'${text.replaceAll("'", "''")}'`;
const BEHAVIOURS = ['pv', 'fav', 'cart', 'buy'];
for (const s of steps) {
  if (!BEHAVIOURS.includes(s)) {
    console.error(`duckdb_events: step ${s} is not one of ${BEHAVIOURS.join(', ')}`);
    process.exit(2);
  }
}

// Every field as text, empty fields as '' (not NULL), so the rules below judge each row.
const readLog = (rejects) => `read_csv(${quote(source)}, header = ${options.header},
    auto_detect = false, delim = ',', quote = '"', escape = '"',
    columns = {'u': 'VARCHAR', 'i': 'VARCHAR', 'c': 'VARCHAR', 'b': 'VARCHAR', 't': 'VARCHAR'},
    force_not_null = ['u', 'i', 'c', 'b', 't'],
    ${rejects ? 'store_rejects = true' : 'ignore_errors = true'})`;

// Unix seconds from the trimmed timestamp text (docs/events.md): an integer (13 digits:
// milliseconds, rounded down), another decimal number rounded down; NULL otherwise. TRY_CAST
// alone would accept '1.5' (rounded) or '0x10'; a regular expression is cheaper than translate().
const secondsOf = (tt) => `CASE
    WHEN regexp_full_match(${tt}, '[+-]?[0-9]+') THEN
      CASE WHEN length(ltrim(${tt}, '+-')) = 13
           THEN CAST(floor(TRY_CAST(${tt} AS BIGINT) / 1000) AS BIGINT)
           ELSE TRY_CAST(${tt} AS BIGINT) END
    WHEN regexp_full_match(${tt}, '[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?') THEN
      TRY_CAST(floor(TRY_CAST(${tt} AS DOUBLE)) AS BIGINT)
  END`;

const judged = (rejects) => `(
  SELECT u, i, c, b, t, ts,
         CASE WHEN ts IS NULL OR behaviour NOT IN ('pv', 'fav', 'cart', 'buy') THEN 'malformed'
              WHEN trim(u) = '' THEN 'missing_customer'
              ELSE 'kept' END AS status,
         behaviour
  FROM (SELECT u, i, c, b, t, ${secondsOf('trim(t)')} AS ts, trim(b) AS behaviour
        FROM ${readLog(rejects)}))`;

// Local time: UTC by integer arithmetic, another zone through ICU (daylight saving included).
const localTime = options.tz === 'UTC' ? 'make_timestamp(ts * 1000000)'
                                       : `timezone(${quote(options.tz)}, to_timestamp(ts))`;

// Spills (the tables of a 100 M-row log outgrow memory) go to --temp-dir, not the working folder.
const config = {threads: String(options.threads)};
if (options.tempDir) config.temp_directory = options.tempDir;
const instance = await DuckDBInstance.create(':memory:', config);
const connection = await instance.connect();
const rows = async (sql) => (await connection.runAndReadAll(sql)).getRowObjectsJS();
const num = (v) => (v === null || v === undefined ? null : Number(v));
const ratio = (a, b) => (b === 0 ? null : a / b);
// Seconds per stage, reported as "seconds" beside the answer.
const seconds = {};
let lap = performance.now();
const stage = (name) => {
  const now = performance.now();
  seconds[name] = Math.round(now - lap) / 1000;
  lap = now;
};

// --- audit: one aggregating scan -------------------------------------------------------------
// Grouped by the raw fields (a grouped aggregate spills to disk where a DISTINCT count may not).
const [audit] = await rows(`
  WITH same AS (SELECT status, count(*) AS n FROM ${judged(true)} GROUP BY status, u, i, c, b, t)
  SELECT sum(n) AS parsed,
         coalesce(sum(n) FILTER (WHERE status = 'malformed'), 0) AS malformed,
         coalesce(sum(n) FILTER (WHERE status = 'missing_customer'), 0) AS missing_customer,
         coalesce(sum(n) FILTER (WHERE status = 'kept'), 0) AS kept,
         count(*) FILTER (WHERE status = 'kept') AS distinct_kept
  FROM same`);
const [rejected] = await rows('SELECT count(DISTINCT (file_id, line)) AS n FROM reject_errors');
const result = {};
result.audit = {
  rows_read: num(audit.parsed) + num(rejected.n),
  malformed: num(audit.malformed) + num(rejected.n),
  missing_customer: num(audit.missing_customer),
  duplicates: num(audit.kept) - num(audit.distinct_kept),
  rows_kept: num(audit.kept),
};

stage('audit');

// --- the kept events, once --------------------------------------------------------------------
await connection.run(`
  CREATE TEMP TABLE ev AS
  SELECT trim(u) AS user_id, nullif(trim(i), '') AS item, nullif(trim(c), '') AS category,
         CAST(behaviour AS ENUM ('pv', 'fav', 'cart', 'buy')) AS b, ts,
         CAST(lt AS DATE) AS day, CAST(hour(lt) AS TINYINT) AS hour
  FROM (SELECT *, ${localTime} AS lt FROM ${judged(false)} WHERE status = 'kept')`);

stage('events_table');

// --- KPIs -------------------------------------------------------------------------------------
const [k] = await rows(`
  WITH per_user AS (
    SELECT user_id, count(*) AS n, bool_and(b = 'pv') AS only_pv, bool_or(b = 'buy') AS buyer,
           count(DISTINCT day) FILTER (WHERE b = 'buy') AS buy_days,
           count(*) FILTER (WHERE b = 'pv') AS pv, count(*) FILTER (WHERE b = 'buy') AS buys
    FROM ev GROUP BY user_id)
  SELECT sum(pv) AS pv, count(*) AS uv, count(*) FILTER (WHERE buyer) AS buy_users,
         sum(buys) AS buys, count(*) FILTER (WHERE buy_days >= 2) AS repeaters,
         count(*) FILTER (WHERE n = 1 AND only_pv) AS bounced
  FROM per_user`);
const pv = num(k.pv) ?? 0, uv = num(k.uv), buyUsers = num(k.buy_users), buys = num(k.buys) ?? 0;
result.kpis = {
  pv, uv, pv_per_uv: ratio(pv, uv), buy_users: buyUsers, buys,
  conversion_rate: ratio(buyUsers, uv), repurchase_rate: ratio(num(k.repeaters), buyUsers),
  bounce_rate: ratio(num(k.bounced), uv),
};

stage('kpis');

// --- funnel: ordered windowFunnel with window functions ---------------------------------------
const window = options.window;
const stepCase = `CASE b ${steps.map((s, j) => `WHEN ${quote(s)} THEN ${j + 1}`).join(' ')} END`;
let ctes = [`f1 AS (
    SELECT user_id, ts, ${stepCase} AS step,
           CASE WHEN b = ${quote(steps[0])} THEN ts END AS start1,
           CASE WHEN b = ${quote(steps[0])} THEN ts END AS at1,
           CAST(NULL AS BIGINT) AS gap1
    FROM ev WHERE b IN (${steps.map(quote).join(', ')}))`];
for (let i = 2; i <= steps.length; i++) {
  // latest start and last step time of a level i-1 chain among the entries before this one
  ctes.push(`p${i} AS (
    SELECT *, CASE WHEN step = ${i} THEN max(start${i - 1}) OVER w END AS prev_start${i},
              CASE WHEN step = ${i} THEN max(at${i - 1}) OVER w END AS prev_at${i}
    FROM f${i - 1}
    WINDOW w AS (PARTITION BY user_id ORDER BY ts, step ROWS UNBOUNDED PRECEDING))`);
  ctes.push(`f${i} AS (
    SELECT * EXCLUDE (prev_start${i}, prev_at${i}),
           CASE WHEN ts <= prev_start${i} + ${window} THEN prev_start${i} END AS start${i},
           CASE WHEN ts <= prev_start${i} + ${window} THEN ts END AS at${i},
           CASE WHEN ts <= prev_start${i} + ${window} THEN ts - prev_at${i} END AS gap${i}
    FROM p${i})`);
}
const levels = steps.map((_, j) => j + 1);
ctes.push(`per_user AS (
    SELECT user_id,
           ${levels.map((i) => `bool_or(start${i} IS NOT NULL) AS reached${i},
           arg_min(gap${i}, ts) FILTER (WHERE start${i} IS NOT NULL) AS first_gap${i}`).join(',\n           ')}
    FROM f${steps.length} GROUP BY user_id)`);
const [f] = await rows(`
  WITH ${ctes.join(',\n  ')}
  SELECT ${levels.map((i) => `count(*) FILTER (WHERE reached${i}) AS users${i},
         quantile_cont(first_gap${i}, 0.5) FILTER (WHERE reached${i}) AS median${i},
         quantile_cont(first_gap${i}, 0.9) FILTER (WHERE reached${i}) AS p90_${i}`).join(',\n         ')}
  FROM per_user`);
const hasStep = async (name) => num((await rows(`SELECT count(*) AS n FROM ev WHERE b = ${quote(name)}`))[0].n) > 0;
if (options.funnel === null && !((await hasStep('pv')) && (await hasStep('buy')))) {
  result.funnel = null;
} else {
  const users = levels.map((i) => num(f[`users${i}`]) ?? 0);
  result.funnel = {
    mode: 'ordered', window_seconds: window,
    steps: steps.map((step, j) => ({
      step, users: users[j],
      conversion_from_previous: j === 0 ? 1.0 : ratio(users[j], users[j - 1]),
      conversion_from_first: ratio(users[j], users[0]),
      median_seconds_from_previous: j === 0 || users[j] === 0 ? null : num(f[`median${j + 1}`]),
      p90_seconds_from_previous: j === 0 || users[j] === 0 ? null : num(f[`p90_${j + 1}`]),
    })),
  };
}

stage('funnel');

// --- retention: day cohorts of the first kept event, any event --------------------------------
const cohortRows = await rows(`
  WITH user_days AS (SELECT DISTINCT user_id, day FROM ev),
       cohort AS (SELECT user_id, min(day) AS c FROM user_days GROUP BY user_id)
  SELECT strftime(c, '%Y-%m-%d') AS cohort, CAST(day - c AS INTEGER) AS k, count(*) AS n,
         CAST((SELECT max(day) FROM ev) - c AS INTEGER) AS span
  FROM user_days JOIN cohort USING (user_id)
  GROUP BY ALL ORDER BY cohort, k`);
const cohorts = new Map();
for (const r of cohortRows) {
  if (!cohorts.has(r.cohort)) cohorts.set(r.cohort, new Array(num(r.span) + 1).fill(0));
  cohorts.get(r.cohort)[num(r.k)] = num(r.n);
}
result.retention = {
  period: 'day', event: 'any',
  cohorts: [...cohorts].map(([cohort, active]) => ({
    cohort, users: active[0], active, share: active.map((n) => n / active[0]),
  })),
};

stage('retention');

// --- hours and days ---------------------------------------------------------------------------
const hourRows = await rows(`
  SELECT hour, count(*) FILTER (WHERE b = 'pv') AS pv, count(DISTINCT user_id) AS uv,
         count(*) FILTER (WHERE b = 'buy') AS buys
  FROM ev GROUP BY hour`);
const byHour = new Map(hourRows.map((r) => [num(r.hour), r]));
result.hours = Array.from({length: 24}, (_, h) => {
  const r = byHour.get(h);
  return {hour: h, pv: r ? num(r.pv) : 0, uv: r ? num(r.uv) : 0, buys: r ? num(r.buys) : 0};
});
result.days = (await rows(`
  SELECT strftime(day, '%Y-%m-%d') AS day, count(*) FILTER (WHERE b = 'pv') AS pv,
         count(DISTINCT user_id) AS uv, count(*) FILTER (WHERE b = 'buy') AS buys,
         count(DISTINCT user_id) FILTER (WHERE b = 'buy') AS buy_users
  FROM ev GROUP BY day ORDER BY day`)).map((r) => ({
  day: r.day, pv: num(r.pv), uv: num(r.uv), buys: num(r.buys), buy_users: num(r.buy_users),
}));

stage('hours_days');

// --- top categories and items by pv (ties by key, byte order = code point order) --------------
const top = async (column) => (await rows(`
  SELECT ${column} AS key, count(*) FILTER (WHERE b = 'pv') AS pv,
         count(DISTINCT user_id) AS users, count(*) FILTER (WHERE b = 'buy') AS buys,
         count(DISTINCT user_id) FILTER (WHERE b = 'buy') AS buy_users
  FROM ev WHERE ${column} IS NOT NULL GROUP BY ${column}
  ORDER BY pv DESC, key LIMIT 20`)).map((r) => ({
  key: r.key, pv: num(r.pv), users: num(r.users), buys: num(r.buys),
  buy_users: num(r.buy_users), conversion: ratio(num(r.buys), num(r.pv)),
}));
result.categories = await top('category');
result.items = await top('item');
result.tz = options.tz;
stage('top_keys');
result.seconds = seconds;

process.stdout.write(JSON.stringify(result) + '\n');
