#!/usr/bin/env bash
# Times writing one run of C customers into the run store (docs/store.md): `custlens analyze`
# on generated order lines, recording into a fresh SQLite store and, with --to, into PostgreSQL
# (a server started on loopback by tests/support/postgres_server.sh unless --postgres names one),
# on C customers' order lines (1 to 3 invoices each, written by the script);
# the write time is what custlens reports for the store transaction ("recorded run ... (N
# customers, S s)"), beside the analysis alone (--no-store). Compared, in the same run on the same
# machine, with what a pandas user does: the customer table custlens wrote (customers.csv) read
# with pandas and written with DataFrame.to_sql into SQLite (sqlite3) and into PostgreSQL
# (SQLAlchemy + psycopg2, method="multi"; only with --to-sql-postgres), and psycopg2's COPY. Medians over N runs, peak RSS;
# checks that every store holds C customer rows; writes the table to stdout and into
# bench/RESULTS.md between markers.
#
#   bench/store_write.sh [--customers 1000000] [--runs 3] [--pandas-runs 1]
#                        [--custlens build-rel/custlens] [--postgres postgresql://...]
#                        [--to-sql-postgres]  (also DataFrame.to_sql into PostgreSQL: at 20 k
#                                              customers 16x custlens' time, so ~10 min at 1 M)
set -euo pipefail

invocation="bench/store_write.sh${*:+ $*}"
root="$(cd "$(dirname "$0")/.." && pwd)"
bench="$root/bench"
work="$bench/work"
python=/usr/bin/python3
customers=1000000
runs=3
pandas_runs=1
custlens="$root/build-rel/custlens"
postgres=""
to_sql_postgres=0

usage() { sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
  case "$1" in
    --customers) customers="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --pandas-runs) pandas_runs="$2"; shift 2 ;;
    --custlens) custlens="$2"; shift 2 ;;
    --postgres) postgres="$2"; shift 2 ;;
    --to-sql-postgres) to_sql_postgres=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "store_write: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done
for n in "$customers" "$runs" "$pandas_runs"; do
  [[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "store_write: counts must be positive integers" >&2; exit 2; }
done
[ -x "$custlens" ] || { echo "store_write: $custlens not found; build it first" >&2; exit 1; }
mkdir -p "$work"

server_dir=""
if [ -z "$postgres" ]; then
  server_dir="$(mktemp -d)"
  trap 'bash "$root/tests/support/postgres_server.sh" stop "$server_dir" >/dev/null 2>&1 || true; rm -rf "$server_dir"' EXIT
  bash "$root/tests/support/postgres_server.sh" start "$server_dir" >/dev/null
  postgres="$(cat "$server_dir/url")"
fi

# C customers with 1 to 3 invoices each in 2011 (`custlens gen orders` draws customers from a
# pool, so reaching 1 M distinct customers would take some 40 M lines): the store's work is per
# customer, and this keeps the input small.
orders="$work/store_orders_c${customers}.csv"
if [ ! -s "$orders" ]; then
  echo "store_write: writing the orders of $customers customers" >&2
  awk -v n="$customers" 'BEGIN {
    srand(11); print "InvoiceNo,InvoiceDate,CustomerID,Quantity,UnitPrice,Country"
    invoice = 500000
    for (c = 1; c <= n; c++) {
      k = 1 + int(rand() * 3)
      for (j = 0; j < k; j++) {
        d = 1 + int(rand() * 360); m = 1 + int((d - 1) / 30); day = 1 + (d - 1) % 28
        printf "%d,2011-%02d-%02d 10:00:00,C%07d,%d,%.2f,United Kingdom\n", ++invoice, m, day, c, 1 + int(rand() * 12), 0.5 + rand() * 20
      }
    }
  }' >"$orders"
fi
rows="$(($(wc -l <"$orders") - 1))"
results="$work/store_results.tsv"
: >"$results"
load_at_start="$(cut -d' ' -f1-3 /proc/loadavg)"

# timed NAME CMD...: one run; appends "NAME<TAB>wall<TAB>peak_kb<TAB>stderr file" to the results
timed() {
  local name="$1"; shift
  local prefix="$work/store_${name}"
  local start end
  start="$(date +%s.%N)"
  /usr/bin/time -f '%M' -o "$prefix.rss" "$@" >"$prefix.stdout" 2>"$prefix.stderr" || {
    echo "store_write: failed: $*" >&2; tail -5 "$prefix.stderr" >&2; exit 1; }
  end="$(date +%s.%N)"
  local copy="$prefix.$RANDOM.stderr"
  cp "$prefix.stderr" "$copy"
  printf '%s\t%s\t%s\t%s\n' "$name" "$("$python" -c "print(f'{$end - $start:.3f}')")" \
    "$(tail -1 "$prefix.rss")" "$copy" >>"$results"
}

for ((i = 1; i <= runs; i++)); do
  echo "store_write: custlens run $i of $runs" >&2
  rm -rf "$work/store_out" "$work/store_run.db"*
  timed analyze_no_store "$custlens" analyze "$orders" --out "$work/store_out" --no-store
  rm -rf "$work/store_out"
  timed analyze_sqlite "$custlens" analyze "$orders" --out "$work/store_out" \
    --store "$work/store_run.db"
  rm -rf "$work/store_out"
  timed analyze_postgres "$custlens" analyze "$orders" --out "$work/store_out" --no-store \
    --to "$postgres"
done
for ((i = 1; i <= pandas_runs; i++)); do
  echo "store_write: pandas run $i of $pandas_runs" >&2
  rm -f "$work/store_pandas.db"
  timed pandas_sqlite "$python" "$bench/pandas_store.py" "$work/store_out/customers.csv" \
    "sqlite:$work/store_pandas.db"
  if [ "$to_sql_postgres" -eq 1 ]; then
    timed pandas_postgres "$python" "$bench/pandas_store.py" "$work/store_out/customers.csv" \
      "$postgres"
  fi
  timed psycopg2_copy "$python" "$bench/pandas_store.py" "$work/store_out/customers.csv" \
    "$postgres" --copy
done

section="$work/store_section.md"
"$python" - "$results" "$section" "$customers" "$rows" "$invocation" "$load_at_start" \
  "$(cut -d' ' -f1-3 /proc/loadavg)" "$(nproc)" \
  "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)" \
  "$work/store_run.db" "$postgres" <<'PY'
import re, sqlite3, statistics, subprocess, sys, datetime
(results, section, customers, rows, invocation, load, load_end, nproc, cpu, sqlite_path,
 postgres) = sys.argv[1:]
customers = int(customers)
runs = {}
for line in open(results):
    name, wall, rss, stderr = line.rstrip("\n").split("\t")
    text = open(stderr).read()
    m = re.search(r"recorded run \S+ in .* \(([0-9]+) customers, ([0-9.]+) s\)", text)
    w = re.search(r"wrote ([0-9]+) rows in ([0-9.]+) s", text)
    write = float(m.group(2)) if m else (float(w.group(2)) if w else None)
    runs.setdefault(name, []).append((float(wall), int(rss) / 1024, write))
def med(name, i):
    values = [r[i] for r in runs.get(name, []) if r[i] is not None]
    return statistics.median(values) if values else None
con = sqlite3.connect(sqlite_path)
stored = con.execute("SELECT COUNT(*) FROM customers").fetchone()[0]
ok = stored == customers
base = med("analyze_no_store", 0)
lines = [
    f"Run {datetime.date.today()}: `{invocation}`; {nproc} cores ({cpu}); load {load} at the start, {load_end} at the end.",
    f"Input: {int(rows):,} order lines of {customers:,} customers (1 to 3 invoices each, written by the script); each run writes {customers:,} customer rows plus its run, KPIs and tiers. Customer rows in the SQLite store: {stored:,} ({'ok' if ok else 'MISMATCH'}).",
    "",
    "| what | median wall (s) | write (s) | peak RSS (MB) | write vs custlens |",
    "|---|---|---|---|---|",
]
ref = {"sqlite": med("analyze_sqlite", 2), "postgres": med("analyze_postgres", 2)}
for name, label, kind in [
        ("analyze_no_store", "custlens analyze --no-store (the analysis alone)", None),
        ("analyze_sqlite", "custlens analyze, recorded in a new SQLite store", "sqlite"),
        ("analyze_postgres", "custlens analyze --no-store --to postgresql://", "postgres"),
        ("pandas_sqlite", "pandas read_csv + to_sql (sqlite3)", "sqlite"),
        ("pandas_postgres", "pandas read_csv + to_sql (SQLAlchemy + psycopg2, method=multi)", "postgres"),
        ("psycopg2_copy", "psycopg2 COPY FROM of the CSV", "postgres")]:
    if name not in runs:
        continue
    wall, rss, write = med(name, 0), med(name, 1), med(name, 2)
    ratio = f"{write / ref[kind]:.2f}×" if kind and write and ref[kind] and not name.startswith("analyze") else ""
    lines.append(f"| {label} | {wall:.2f} | {write:.2f} | {rss:.0f} | {ratio} |" if write is not None
                 else f"| {label} | {wall:.2f} | – | {rss:.0f} | |")
text = "\n".join(lines) + "\n"
open(section, "w").write(text)
print(text)
sys.exit(0 if ok else 1)
PY
"$python" "$bench/results_section.py" "$bench/RESULTS.md" store_write "$section" \
  "Run store: writing 1 M customers to SQLite and PostgreSQL (bench/store_write.sh)"
