#!/usr/bin/env bash
# Times `custlens rfm` against DuckDB (Node API) and pandas on the same generated UCI order lines:
# median wall time over N runs, peak RSS, rows/s; checks that all three agree on the customer
# count and total revenue; writes the table to stdout and into bench/RESULTS.md between markers.
#
#   bench/rfm_vs_peers.sh [--rows 1000000,10000000] [--runs 5] [--skip-pandas-above N]
#                         [--custlens build/custlens]
#
# pandas runs --runs times on files up to 1 M rows and once on larger ones (it takes minutes
# there); --skip-pandas-above N leaves it out on files of more than N rows.
set -euo pipefail

invocation="bench/rfm_vs_peers.sh${*:+ $*}"
root="$(cd "$(dirname "$0")/.." && pwd)"
bench="$root/bench"
work="$bench/work"
python=/usr/bin/python3
rows_list="1000000,10000000"
runs=5
skip_pandas_above=""
pandas_once_above=1000000
custlens="$root/build/custlens"
seed=1

usage() { sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
  case "$1" in
    --rows) rows_list="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --skip-pandas-above) skip_pandas_above="$2"; shift 2 ;;
    --custlens) custlens="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "rfm_vs_peers: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || { echo "rfm_vs_peers: --runs must be a positive integer" >&2; exit 2; }

# --- tools ------------------------------------------------------------------------------------
if [ ! -x /usr/bin/time ]; then
  echo "rfm_vs_peers: installing Debian 'time' for /usr/bin/time" >&2
  bash "$root/scripts/install-deps.sh"
fi
if [ ! -x "$custlens" ]; then
  echo "rfm_vs_peers: $custlens not found; build it first (make build)" >&2
  exit 1
fi
command -v node >/dev/null || { echo "rfm_vs_peers: node is needed for the DuckDB peer" >&2; exit 1; }
# DuckDB from bench/package-lock.json, installed again whenever the lock is newer.
bash "$root/scripts/npm-install.sh" "$bench"

mkdir -p "$work"
nproc_count="$(nproc)"
cpu_model="$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
cpu_model="${cpu_model:-$(uname -m)}"
duckdb_version="$(cd "$bench" && node -p "require('./node_modules/@duckdb/node-api/package.json').version")"
pandas_version="$("$python" -c 'import pandas; print(pandas.__version__)')"
custlens_version="$("$custlens" --version 2>/dev/null | head -1 || true)"
# Other work on the machine skews timings: the section records the load when the run began.
load_at_start="$(cut -d' ' -f1-3 /proc/loadavg)"
results="$work/results.tsv"
: >"$results"

# run_timed OUT_PREFIX CMD...: one timed run; appends "seconds<TAB>peak_kb" to OUT_PREFIX.times
run_timed() {
  local prefix="$1"; shift
  local start end
  start="$(date +%s.%N)"
  if ! /usr/bin/time -f '%M' -o "$prefix.rss" "$@" >"$prefix.stdout" 2>"$prefix.stderr"; then
    echo "rfm_vs_peers: failed: $*" >&2
    cat "$prefix.stderr" >&2
    exit 1
  fi
  end="$(date +%s.%N)"
  printf '%s\t%s\n' "$("$python" -c "print(f'{$end - $start:.3f}')")" "$(tail -1 "$prefix.rss")" \
    >>"$prefix.times"
}

# customer count and revenue (sum of the monetary column) of a customer CSV
customer_totals() {
  "$python" - "$1" <<'EOF'
import csv, sys
with open(sys.argv[1], newline="") as handle:
    rows = csv.DictReader(handle)
    count, revenue = 0, 0.0
    for row in rows:
        count += 1
        revenue += float(row["monetary"])
print(count, repr(revenue))
EOF
}

IFS=',' read -r -a row_counts <<<"$rows_list"
for rows in "${row_counts[@]}"; do
  orders="$work/orders_${rows}_seed${seed}.csv"
  # Regenerate when the generator (the binary) is newer than the file.
  if [ ! -s "$orders" ] || [ "$custlens" -nt "$orders" ]; then
    echo "rfm_vs_peers: generating $rows rows into $orders" >&2
    "$custlens" gen orders --rows "$rows" --seed "$seed" -o "$orders"
  fi

  for engine in custlens duckdb pandas; do
    engine_runs="$runs"
    if [ "$engine" = pandas ]; then
      if [ -n "$skip_pandas_above" ] && [ "$rows" -gt "$skip_pandas_above" ]; then
        printf '%s\t%s\tskipped\n' "$rows" "$engine" >>"$results"
        continue
      fi
      [ "$rows" -gt "$pandas_once_above" ] && engine_runs=1
    fi
    prefix="$work/${engine}_${rows}"
    out="$prefix.customers.csv"
    rm -f "$prefix.times" "$out"
    echo "rfm_vs_peers: $engine on $rows rows, $engine_runs run(s)" >&2
    for ((i = 1; i <= engine_runs; i++)); do
      case "$engine" in
        custlens) run_timed "$prefix" "$custlens" rfm "$orders" --customers "$out" --quiet ;;
        duckdb) run_timed "$prefix" node "$bench/duckdb_rfm.mjs" "$orders" "$out" "$nproc_count" ;;
        pandas) run_timed "$prefix" "$python" "$bench/pandas_rfm.py" "$orders" "$out" ;;
      esac
    done
    read -r customers revenue <<<"$(customer_totals "$out")"
    printf '%s\t%s\tok\t%s\t%s\t%s\n' "$rows" "$engine" "$customers" "$revenue" \
      "$(tr '\t\n' ':;' <"$prefix.times")" >>"$results"
  done
done

# --- table ------------------------------------------------------------------------------------
section="$work/section.md"
status=0
"$python" - "$results" "$section" "$nproc_count" "$cpu_model" "$custlens_version" \
  "$duckdb_version" "$pandas_version" "$invocation" "$load_at_start" <<'EOF' || status=$?
import datetime, statistics, sys

results, section, nproc, cpu, custlens_v, duckdb_v, pandas_v, invocation, load = sys.argv[1:]
lines = [l.rstrip("\n").split("\t") for l in open(results) if l.strip()]
by_rows = {}
for fields in lines:
    by_rows.setdefault(int(fields[0]), []).append(fields)

out = [
    f"Machine: {cpu}, nproc {nproc}, load average at start {load}. "
    f"Date: {datetime.date.today().isoformat()}. "
    f"{custlens_v or 'custlens'}; DuckDB {duckdb_v} (@duckdb/node-api, {nproc} threads); "
    f"pandas {pandas_v}.",
    f"Command: `{invocation}`; input: `custlens gen orders --rows N --seed 1`, the same file "
    "for all three. Median wall seconds over the runs; vs custlens = median / custlens median "
    "(above 1: slower); peak RSS = the largest over the runs (`/usr/bin/time -f %M`); check = "
    "same customer count and total revenue as custlens (1e-6 relative).",
    "",
    "| rows | engine | runs | median s | vs custlens | peak RSS MB | rows/s | customers | check |",
    "|---:|---|---:|---:|---:|---:|---:|---:|---|",
]
failed = False
for rows in sorted(by_rows):
    entries = by_rows[rows]
    base = next((e for e in entries if e[1] == "custlens" and e[2] == "ok"), None)
    base_median = None
    if base:
        base_median = statistics.median(float(t.split(":")[0]) for t in base[5].split(";") if t)
    for e in entries:
        if e[2] == "skipped":
            out.append(f"| {rows:,} | {e[1]} | 0 | skipped | | | | | |")
            continue
        times = [t.split(":") for t in e[5].split(";") if t]
        seconds = [float(t[0]) for t in times]
        peak_mb = max(int(t[1]) for t in times) / 1024
        median = statistics.median(seconds)
        customers, revenue = int(e[3]), float(e[4])
        check = "ok"
        if base and e is not base:
            base_customers, base_revenue = int(base[3]), float(base[4])
            if customers != base_customers or abs(revenue - base_revenue) > 1e-6 * abs(base_revenue):
                check = f"MISMATCH (revenue {revenue:.2f} vs {base_revenue:.2f})"
                failed = True
        ratio = f"{median / base_median:.2f}x" if base_median else ""
        out.append(
            f"| {rows:,} | {e[1]} | {len(seconds)} | {median:.3f} | {ratio} | {peak_mb:.0f} | "
            f"{rows / median:,.0f} | {customers:,} | {check} |"
        )
open(section, "w").write("\n".join(out) + "\n")
sys.exit(1 if failed else 0)
EOF
cat "$section"

# Replace the section between the markers in RESULTS.md, keeping everything else.
"$python" "$bench/results_section.py" "$bench/RESULTS.md" rfm_vs_peers "$section" \
  'custlens rfm vs DuckDB and pandas'

if [ "$status" -ne 0 ]; then
  echo "rfm_vs_peers: the engines disagree on customers or revenue (see the check column)" >&2
  exit "$status"
fi
