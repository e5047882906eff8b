#!/usr/bin/env bash
# Times `custlens events FILE --json --quiet` (audit, KPIs, day and hour tables, top categories
# and items, the pv,cart,buy `ordered` funnel within 1 day, day retention, lifecycle) against
# DuckDB doing the same in SQL (bench/duckdb_events.mjs: the funnel with window functions) and
# pandas (bench/pandas_events.py) on Taobao-layout logs from `custlens gen events --rows N
# --seed 1`: median wall time over N runs, peak RSS, rows/s; checks that every peer's answer
# equals custlens' (counts exactly, rates and seconds to 1e-12 relative; bench/events_compare.py);
# writes the table to stdout and into bench/RESULTS.md between markers.
#
#   bench/events_vs_peers.sh [--rows 100000000] [--pandas-rows 10000000] [--runs 3]
#                            [--custlens build-rel/custlens] [--tz UTC] [--limit-s 3600]
#                            [--input FILE] [--pandas-input FILE] [--skip-pandas]
#                            [--no-custlens]
#
# custlens and DuckDB run on the --rows file and on the --pandas-rows file, pandas (once) on the
# --pandas-rows file only. --input FILE (headerless Taobao layout) replaces the generated --rows
# file and --pandas-input FILE the --pandas-rows one (without it pandas runs on --input when that
# has at most --pandas-rows lines). --no-custlens times the peers alone against each other (for
# a custlens without `events`); it prints the table but leaves bench/RESULTS.md alone.
set -euo pipefail

invocation="bench/events_vs_peers.sh${*:+ $*}"
root="$(cd "$(dirname "$0")/.." && pwd)"
bench="$root/bench"
work="$bench/work"
python=/usr/bin/python3
rows=100000000
pandas_rows=10000000
runs=3
custlens="$root/build-rel/custlens"
tz=UTC
limit_s=3600
input=""
pandas_input=""
skip_pandas=0
no_custlens=0
seed=1

usage() { sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
  case "$1" in
    --rows) rows="$2"; shift 2 ;;
    --pandas-rows) pandas_rows="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --custlens) custlens="$2"; shift 2 ;;
    --tz) tz="$2"; shift 2 ;;
    --limit-s) limit_s="$2"; shift 2 ;;
    --input) input="$2"; shift 2 ;;
    --pandas-input) pandas_input="$2"; shift 2 ;;
    --skip-pandas) skip_pandas=1; shift ;;
    --no-custlens) no_custlens=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "events_vs_peers: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done
for n in "$rows" "$pandas_rows" "$runs" "$limit_s"; do
  [[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "events_vs_peers: counts must be positive integers" >&2; exit 2; }
done

# --- tools ------------------------------------------------------------------------------------
if [ ! -x /usr/bin/time ]; then
  echo "events_vs_peers: installing Debian 'time' for /usr/bin/time" >&2
  bash "$root/scripts/install-deps.sh"
fi
command -v node >/dev/null || { echo "events_vs_peers: node is needed for the DuckDB peer" >&2; exit 1; }
bash "$root/scripts/npm-install.sh" "$bench"
# have_custlens [gen] CMD: the binary lists CMD among its (gen) subcommands in --help
have_custlens() {
  [ -x "$custlens" ] || return 1
  local cmd="${*: -1}" parent=("${@:1:$#-1}")
  "$custlens" "${parent[@]}" --help 2>/dev/null | sed -n '/^Subcommands:/,$p' |
    grep -E "^  $cmd( |\$)" >/dev/null
}
if [ "$no_custlens" -eq 0 ]; then
  if [ ! -x "$custlens" ]; then
    echo "events_vs_peers: $custlens not found; build it first (a Release build: make build)" >&2
    exit 1
  fi
  if ! have_custlens events; then
    echo "events_vs_peers: $custlens has no 'events' command yet (issue 13); build one that has," \
      "or time the peers alone with --no-custlens" >&2
    exit 1
  fi
fi

mkdir -p "$work"
nproc_count="$(nproc)"
cpu_model="$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
cpu_model="${cpu_model:-$(uname -m)}"
duckdb_version="$(cd "$bench" && node -p "require('./node_modules/@duckdb/node-api/package.json').version")"
pandas_version="$("$python" -c 'import pandas; print(pandas.__version__)')"
custlens_version=""
[ "$no_custlens" -eq 0 ] && custlens_version="$("$custlens" --version 2>/dev/null | head -1 || true)"
load_at_start="$(cut -d' ' -f1-3 /proc/loadavg)"
results="$work/events_results.tsv"
: >"$results"

# events_file ROWS: the generated log of ROWS rows (made again when the binary is newer)
events_file() {
  local file="$work/events_${1}_seed${seed}.csv"
  if [ ! -s "$file" ] || [ "$custlens" -nt "$file" ]; then
    if ! have_custlens gen events; then
      echo "events_vs_peers: $custlens has no 'gen events' to make $1 rows; give --input" >&2
      exit 1
    fi
    echo "events_vs_peers: generating $1 rows into $file" >&2
    "$custlens" gen events --rows "$1" --seed "$seed" -o "$file" >&2
  fi
  printf '%s\n' "$file"
}

# run_timed OUT_PREFIX CMD...: one timed run; appends "seconds<TAB>peak_kb" to OUT_PREFIX.times
run_timed() {
  local prefix="$1"; shift
  local start end rc=0
  start="$(date +%s.%N)"
  # timeout under time, so a stopped run's own process ends with it
  /usr/bin/time -f '%M' -o "$prefix.rss" timeout "$limit_s" "$@" >"$prefix.stdout" \
    2>"$prefix.stderr" || rc=$?
  if [ "$rc" -ne 0 ]; then
    [ "$rc" -eq 124 ] && echo "events_vs_peers: not done within $limit_s s: $*" >&2
    echo "events_vs_peers: failed: $*" >&2
    tail -20 "$prefix.stderr" >&2
    exit 1
  fi
  end="$(date +%s.%N)"
  printf '%s\t%s\n' "$("$python" -c "print(f'{$end - $start:.3f}')")" "$(tail -1 "$prefix.rss")" \
    >>"$prefix.times"
}

# The files: the big one (--input or --rows), and pandas' one (--pandas-input, the big one when it
# is small enough, or --pandas-rows generated), timed first when it is another file.
count_rows() { grep -c . "$1" || true; }
if [ -n "$input" ]; then
  [ -s "$input" ] || { echo "events_vs_peers: $input not found" >&2; exit 1; }
  big="$input"
  big_rows="$(count_rows "$input")"
else
  big="$(events_file "$rows")"
  big_rows="$rows"
fi
small=""
small_rows=""
if [ "$skip_pandas" -eq 1 ]; then
  small=""
elif [ -n "$pandas_input" ]; then
  [ -s "$pandas_input" ] || { echo "events_vs_peers: $pandas_input not found" >&2; exit 1; }
  small="$pandas_input"
  small_rows="$(count_rows "$pandas_input")"
elif [ "$big_rows" -le "$pandas_rows" ]; then
  small="$big"
elif [ -n "$input" ]; then
  echo "events_vs_peers: $input has more than --pandas-rows lines: pandas left out" >&2
else
  small="$(events_file "$pandas_rows")"
  small_rows="$pandas_rows"
fi
declare -a labels=() files=() with_pandas=()
if [ -n "$small" ] && [ "$small" != "$big" ]; then
  labels+=("$small_rows"); files+=("$small"); with_pandas+=(1)
fi
labels+=("$big_rows"); files+=("$big")
if [ "$small" = "$big" ]; then with_pandas+=(1); else with_pandas+=(0); fi

engines=(custlens duckdb pandas)
[ "$no_custlens" -eq 1 ] && engines=(duckdb pandas)
for n in "${!files[@]}"; do
  file="${files[$n]}"
  size="${labels[$n]}"
  base=""
  for engine in "${engines[@]}"; do
    engine_runs="$runs"
    if [ "$engine" = pandas ]; then
      [ "${with_pandas[$n]}" -eq 1 ] || continue
      engine_runs=1
    fi
    prefix="$work/events_${engine}_${size}"
    rm -f "$prefix.times"
    for ((i = 1; i <= engine_runs; i++)); do
      echo "events_vs_peers: $engine on $size rows, run $i of $engine_runs" >&2
      case "$engine" in
        custlens) run_timed "$prefix" "$custlens" events "$file" --tz "$tz" --json --quiet ;;
        duckdb) run_timed "$prefix" node "$bench/duckdb_events.mjs" "$file" --tz "$tz" \
          --temp-dir "$work/duckdb_tmp" \
          --threads "$nproc_count" ;;
        pandas) run_timed "$prefix" "$python" "$bench/pandas_events.py" "$file" --tz "$tz" ;;
      esac
    done
    # the first engine's answer is the one the others are checked against
    check="ok"
    if [ -z "$base" ]; then
      base="$prefix.stdout"
    elif ! "$python" "$bench/events_compare.py" "$base" "$prefix.stdout" >"$prefix.check"; then
      check="MISMATCH: $(head -1 "$prefix.check")"
      cat "$prefix.check" >&2
    fi
    printf '%s\t%s\t%s\t%s\t%s\n' "$size" "$engine" "$(tr '\t\n' ':;' <"$prefix.times")" \
      "$prefix.stdout" "$check" >>"$results"
  done
done

# --- table ------------------------------------------------------------------------------------
section="$work/events_section.md"
status=0
"$python" - "$results" "$section" "$nproc_count" "$cpu_model" "$custlens_version" \
  "$duckdb_version" "$pandas_version" "$invocation" "$load_at_start" \
  "$(cut -d' ' -f1-3 /proc/loadavg)" "$tz" "$no_custlens" <<'EOF' || status=$?
import datetime, json, statistics, sys

(results, section, nproc, cpu, custlens_v, duckdb_v, pandas_v, invocation, load, load_end, tz,
 no_custlens) = sys.argv[1:]
entries = [line.rstrip("\n").split("\t") for line in open(results) if line.strip()]
base_name = "duckdb" if no_custlens == "1" else "custlens"


def last_json(path):
    text = open(path).read().strip()
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return json.loads(text.splitlines()[-1])


out = [
    f"Machine: {cpu}, nproc {nproc}, load average at start {load}, at end {load_end}. "
    f"Date: {datetime.date.today().isoformat()}. {custlens_v or 'custlens'}; DuckDB {duckdb_v} "
    f"(@duckdb/node-api, {nproc} threads); pandas {pandas_v}.",
    f"Command: `{invocation}`; input: `custlens gen events --rows N --seed 1` unless the command "
    f"names files (headerless Taobao layout), the same file for every engine; time zone {tz}. "
    "custlens: `custlens events FILE --json --quiet` (audit, KPIs, days, hours, top categories and "
    "items, funnel pv,cart,buy `ordered` within 1 day, day retention, lifecycle). DuckDB: "
    "`bench/duckdb_events.mjs` (one aggregating scan for the audit, one filling the events table, "
    "then SQL for the same figures less lifecycle; the funnel with window functions). pandas: "
    "`bench/pandas_events.py` (the same, vectorised; one run). Median wall seconds over the "
    f"runs; vs {base_name} = median / {base_name} median (above 1: slower); peak RSS = the "
    "largest over the runs (`/usr/bin/time -f %M`); check = the same JSON as "
    f"{base_name} on every figure the peer computes (counts exactly, rates and seconds to 1e-12 "
    "relative).",
    "",
    f"| rows | engine | runs | median s | vs {base_name} | peak RSS MB | rows/s | users | funnel users | check |",
    "|---:|---|---:|---:|---:|---:|---:|---:|---|---|",
]
failed = False
base_median = {}
notes = []
for size, engine, times, stdout, check in entries:
    size = int(size)
    runs = [t.split(":") for t in times.split(";") if t]
    seconds = [float(t[0]) for t in runs]
    median = statistics.median(seconds)
    peak_mb = max(int(t[1]) for t in runs) / 1024
    if engine == base_name:
        base_median[size] = median
    answer = last_json(stdout)
    failed |= check != "ok"
    ratio = f"{median / base_median[size]:.2f}x" if size in base_median else ""
    funnel = answer.get("funnel")
    steps = " → ".join(f"{s['users']:,}" for s in funnel["steps"]) if funnel else "none"
    out.append(f"| {size:,} | {engine} | {len(seconds)} | {median:.2f} | {ratio} | "
               f"{peak_mb:,.0f} | {size / median:,.0f} | {answer['kpis']['uv']:,} | {steps} | "
               f"{check} |")
    if engine == "custlens":
        verdict = "met" if peak_mb <= 2048 else "NOT met"
        notes.append(f"custlens peak RSS on {size:,} rows: {peak_mb:,.0f} MB (target ≤ 2,048 MB: "
                     f"{verdict}).")
    if engine in ("duckdb", "pandas") and "seconds" in answer:
        notes.append(f"{engine} stage seconds on {size:,} rows: " +
                     ", ".join(f"{k} {v:.1f}" for k, v in answer["seconds"].items()) + ".")
out += [""] + notes if notes else []
open(section, "w").write("\n".join(out) + "\n")
sys.exit(1 if failed else 0)
EOF
cat "$section"
if [ "$no_custlens" -eq 0 ]; then
  "$python" "$bench/results_section.py" "$bench/RESULTS.md" events_vs_peers "$section" \
    'custlens events vs DuckDB and pandas'
else
  echo "events_vs_peers: --no-custlens: bench/RESULTS.md left as it was" >&2
fi
if [ "$status" -ne 0 ]; then
  echo "events_vs_peers: the engines disagree (see the check column)" >&2
  exit "$status"
fi
