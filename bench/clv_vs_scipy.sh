#!/usr/bin/env bash
# Times `custlens clv FILE --calibration-end C --holdout-end H --json --quiet` (BG/NBD, MBG/NBD,
# Pareto/NBD and Gamma-Gamma fits, per-customer CLV, holdout scorecard) against pandas + scipy doing
# the same read, cleaning, calibration summary and four fits with the scipy reference's likelihoods
# and optimiser (bench/scipy_clv.py over tests/reference/clv_reference.py) on one simulated UCI
# order file (bench/simulate_btyd_orders.py: customers who buy and leave by the Pareto/NBD process
# with CDNOW's parameters; `custlens gen orders` customers never leave): median wall time over N
# runs, peak RSS, custlens' peak RSS at 2 M, 10 M and R lines of the same customers; checks that
# both find the same customers and repeat customers and parameters within 1e-4 and
# log-likelihoods within 1e-6 (relative), and shows the true Pareto/NBD parameters beside the
# fitted ones; writes the tables to stdout and into bench/RESULTS.md between markers.
#
#   bench/clv_vs_scipy.sh [--rows 20000000] [--customers 1000000] [--runs 3] [--scipy-runs 1]
#                         [--calibration-end 2011-09-30] [--holdout-end 2011-12-09]
#                         [--memory-rows "2000000 10000000"] [--custlens build-rel/custlens]
#                         [--input FILE]   (a UCI-layout file instead of the generated one; no
#                                           memory rows then)  [--limit-s 1800] (per run: stops a
#                                           run past it and fails, naming it)
set -euo pipefail

invocation="bench/clv_vs_scipy.sh${*:+ $*}"
root="$(cd "$(dirname "$0")/.." && pwd)"
bench="$root/bench"
work="$bench/work"
python=/usr/bin/python3
rows=20000000
customers=1000000
runs=3
scipy_runs=1
cal_end=2011-09-30
holdout_end=2011-12-09
memory_rows="2000000 10000000"
custlens="$root/build-rel/custlens"
seed=1
input=""
limit_s=1800

usage() { sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
  case "$1" in
    --rows) rows="$2"; shift 2 ;;
    --customers) customers="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --scipy-runs) scipy_runs="$2"; shift 2 ;;
    --calibration-end) cal_end="$2"; shift 2 ;;
    --holdout-end) holdout_end="$2"; shift 2 ;;
    --memory-rows) memory_rows="$2"; shift 2 ;;
    --custlens) custlens="$2"; shift 2 ;;
    --input) input="$2"; shift 2 ;;
    --limit-s) limit_s="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "clv_vs_scipy: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done
for n in "$rows" "$customers" "$runs" "$scipy_runs" "$limit_s" $memory_rows; do
  [[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "clv_vs_scipy: counts must be positive integers" >&2; exit 2; }
done
for d in "$cal_end" "$holdout_end"; do
  [[ "$d" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}$ ]] || { echo "clv_vs_scipy: dates are YYYY-MM-DD" >&2; exit 2; }
done
if [ ! -x /usr/bin/time ]; then
  echo "clv_vs_scipy: installing Debian 'time' for /usr/bin/time" >&2
  bash "$root/scripts/install-deps.sh"
fi
if [ ! -x "$custlens" ]; then
  echo "clv_vs_scipy: $custlens not found; build it first (a Release build)" >&2
  exit 1
fi

mkdir -p "$work"
nproc_count="$(nproc)"
cpu_model="$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
cpu_model="${cpu_model:-$(uname -m)}"
versions="$("$python" -c 'import pandas, numpy, scipy; print(f"pandas {pandas.__version__}, numpy {numpy.__version__}, scipy {scipy.__version__}")')"
custlens_version="$("$custlens" --version 2>/dev/null | head -1 || true)"
load_at_start="$(cut -d' ' -f1-3 /proc/loadavg)"
results="$work/clv_results.tsv"
: >"$results"

# run_timed OUT_PREFIX CMD...: one timed run; appends "seconds<TAB>peak_kb" to OUT_PREFIX.times
run_timed() {
  local prefix="$1"; shift
  local start end
  start="$(date +%s.%N)"
  # timeout under time, so a stopped run's own process ends with it
  local rc=0
  /usr/bin/time -f '%M' -o "$prefix.rss" timeout "$limit_s" "$@" >"$prefix.stdout" \
    2>"$prefix.stderr" || rc=$?
  if [ "$rc" -ne 0 ]; then
    [ "$rc" -eq 124 ] && echo "clv_vs_scipy: not done within $limit_s s: $*" >&2
    echo "clv_vs_scipy: failed: $*" >&2
    tail -20 "$prefix.stderr" >&2
    exit 1
  fi
  end="$(date +%s.%N)"
  printf '%s\t%s\n' "$("$python" -c "print(f'{$end - $start:.3f}')")" "$(tail -1 "$prefix.rss")" \
    >>"$prefix.times"
}

# orders_file ROWS: the simulated file of about ROWS lines (the same customers and purchases at
# every ROWS; more lines per invoice), with its truth in FILE.json
orders_file() {
  local file="$work/clv_sim_${1}_c${customers}_seed${seed}.csv"
  if [ ! -s "$file" ] || [ ! -s "$file.json" ]; then
    echo "clv_vs_scipy: simulating $1 rows, $customers customers into $file" >&2
    "$python" "$bench/simulate_btyd_orders.py" "$file" --customers "$customers" --rows "$1" \
      --seed "$seed" >"$file.json"
  fi
  printf '%s\n' "$file"
}

if [ -n "$input" ]; then
  [ -s "$input" ] || { echo "clv_vs_scipy: $input not found" >&2; exit 1; }
  orders="$input"
  memory_rows=""
  rows="$(($(wc -l <"$input") - 1))"
  input_line="\`$input\` ($rows lines)"
else
  orders="$(orders_file "$rows")"
  input_line="\`bench/simulate_btyd_orders.py --rows $rows --customers $customers --seed $seed\` ($("$python" -c "import json,sys; d=json.load(open(sys.argv[1])); print(f\"{d['rows']:,} lines, {d['invoices']:,} invoices\")" "$orders.json"))"
fi
truth="${orders}.json"
[ -s "$truth" ] || truth=""
clv_args=(--calibration-end "$cal_end" --holdout-end "$holdout_end")
for engine in custlens scipy; do
  prefix="$work/clv_${engine}_${rows}"
  rm -f "$prefix.times"
  engine_runs="$runs"
  [ "$engine" = scipy ] && engine_runs="$scipy_runs"
  for ((i = 1; i <= engine_runs; i++)); do
    echo "clv_vs_scipy: $engine run $i of $engine_runs" >&2
    case "$engine" in
      custlens) run_timed "$prefix" "$custlens" clv "$orders" "${clv_args[@]}" --json --quiet ;;
      scipy) run_timed "$prefix" "$python" "$bench/scipy_clv.py" "$orders" "${clv_args[@]}" ;;
    esac
  done
  printf '%s\t%s\t%s\n' "$engine" "$(tr '\t\n' ':;' <"$prefix.times")" "$prefix.stdout" >>"$results"
done

# custlens' peak RSS at other line counts of the same customer pool (one run each)
memory="$work/clv_memory.tsv"
: >"$memory"
memory_lines="$memory_rows $rows"
[ -n "$input" ] && memory_lines=""
for n in $memory_lines; do
  prefix="$work/clv_memory_${n}"
  if [ "$n" = "$rows" ]; then
    cp "$work/clv_custlens_${rows}.times" "$prefix.times"
    cp "$work/clv_custlens_${rows}.stdout" "$prefix.stdout"
  else
    rm -f "$prefix.times"
    echo "clv_vs_scipy: custlens memory run at $n lines" >&2
    run_timed "$prefix" "$custlens" clv "$(orders_file "$n")" "${clv_args[@]}" --json --quiet
  fi
  # the lines the simulation wrote (at least one an invoice, so more than asked at 2 M)
  written="$("$python" -c "import json,sys; print(json.load(open(sys.argv[1]))['rows'])" \
    "$(orders_file "$n").json")"
  printf '%s\t%s\t%s\n' "$written" "$(head -1 "$prefix.times" | tr '\t' :)" "$prefix.stdout" \
    >>"$memory"
done

section="$work/clv_section.md"
status=0
"$python" - "$results" "$memory" "$section" "$nproc_count" "$cpu_model" "$custlens_version" \
  "$versions" "$invocation" "$load_at_start" "$rows" "$customers" "$cal_end" "$holdout_end" \
  "$(cut -d' ' -f1-3 /proc/loadavg)" "$input_line" "$truth" <<'EOF' || status=$?
import datetime, json, statistics, sys

(results, memory, section, nproc, cpu, custlens_v, versions, invocation, load, rows, customers,
 cal_end, holdout_end, load_end, input_line, truth) = sys.argv[1:]
rows, customers = int(rows), int(customers)
MODELS = {"bgnbd": ["r", "alpha", "a", "b"], "mbgnbd": ["r", "alpha", "a", "b"],
          "pareto_nbd": ["r", "alpha", "s", "beta"], "gamma_gamma": ["p", "q", "v"]}

def last_json(path):
    text = open(path).read().strip()
    try:
        return json.loads(text)  # custlens: one (indented) object
    except json.JSONDecodeError:
        return json.loads(text.splitlines()[-1])  # scipy: its last line

entries = {}
for line in open(results):
    engine, times, stdout = line.rstrip("\n").split("\t")
    entries[engine] = ([t.split(":") for t in times.split(";") if t], last_json(stdout))

base = entries["custlens"][1]
other = entries["scipy"][1]
failed = False
checks = []
for key in ("customers", "repeat_customers"):
    ok = base[key] == other[key]
    failed |= not ok
    checks.append(f"| {key} | {base[key]:,} | {other[key]:,} | | {'ok' if ok else 'MISMATCH'} |")
gg_ok = base["gamma_gamma"]["customers"] == other["gamma_gamma"]["customers"]
failed |= not gg_ok
checks.append(f"| gamma_gamma customers | {base['gamma_gamma']['customers']:,} | "
              f"{other['gamma_gamma']['customers']:,} | | {'ok' if gg_ok else 'MISMATCH'} |")
for model, names in MODELS.items():
    keys = names + (["log_likelihood"] if "log_likelihood" in base[model] else [])
    for name in keys:
        a, b = float(base[model][name]), float(other[model][name])
        rel = abs(a - b) / max(abs(b), 1e-300)
        limit = 1e-6 if name == "log_likelihood" else 1e-4
        ok = rel <= limit
        failed |= not ok
        checks.append(f"| {model} {name} | {a:.8g} | {b:.8g} | {rel:.1e} | "
                      f"{'ok' if ok else 'MISMATCH'} (≤ {limit:g}) |")

base_median = statistics.median(float(t[0]) for t in entries["custlens"][0])
out = [
    f"Machine: {cpu}, nproc {nproc}, load average at start {load}, at end {load_end}. "
    f"Date: {datetime.date.today().isoformat()}. {custlens_v or 'custlens'}; {versions}.",
    f"Command: `{invocation}`; input: {input_line} (the same file for both); calibration end {cal_end}, holdout end {holdout_end}. "
    "custlens: `custlens clv FILE --calibration-end C --holdout-end H --json --quiet` (summary "
    "on the scan, the four fits, per-customer P(alive), expected purchases and CLV, the holdout "
    "scorecard). scipy: `bench/scipy_clv.py FILE ...` (pandas read, the same cleaning, pandas "
    "group-by summary, the four fits of tests/reference/clv_reference.py: BFGS from three starts "
    "with finite-difference gradients, Newton polish to |gradient| < 1e-6; no per-customer "
    "figures or scorecard). Median wall seconds; peak RSS = the largest over the runs "
    "(`/usr/bin/time -f %M`).",
    "",
    "| engine | runs | median s | vs custlens | peak RSS MB | customers | repeat customers |",
    "|---|---:|---:|---:|---:|---:|---:|",
]
for engine in ("custlens", "scipy"):
    runs, answer = entries[engine]
    seconds = [float(t[0]) for t in runs]
    median = statistics.median(seconds)
    peak = max(int(t[1]) for t in runs) / 1024
    out.append(f"| {engine} | {len(seconds)} | {median:.2f} | {median / base_median:.2f}x | "
               f"{peak:,.0f} | {answer['customers']:,} | {answer['repeat_customers']:,} |")
stages = other.get("seconds", {})
out += ["", "scipy stage seconds: " + ", ".join(f"{k} {v:.1f}" for k, v in stages.items()) + ".",
        "", "| figure | custlens | scipy | relative difference | check |", "|---|---:|---:|---:|---|"]
out += checks
if truth:
    true = json.load(open(truth))["true"]
    fitted = base["pareto_nbd"]
    out += ["", "Pareto/NBD parameters: the simulation's truth against custlens' fit (one purchase "
            "a day in the summary, so close but not equal):", "",
            "| parameter | true | fitted | 95% interval | truth inside |", "|---|---:|---:|---:|---|"]
    for name, value in true.items():
        low, high = fitted["ci_lower"][name], fitted["ci_upper"][name]
        out.append(f"| {name} | {value:g} | {fitted[name]:.4g} | {low:.4g} to {high:.4g} | "
                   f"{'yes' if low <= value <= high else 'no'} |")
memory_rows = [line.rstrip("\n").split("\t") for line in open(memory)]
out += [] if not memory_rows else ["", f"custlens peak RSS by input lines (the same {customers:,} customers and purchases, more lines an invoice; one run each):", "",
        "| lines | wall s | peak RSS MB | customers fitted |", "|---:|---:|---:|---:|"]
for n, times, stdout in memory_rows:
    secs, kb = times.split(":")
    out.append(f"| {int(n):,} | {float(secs):.2f} | {int(kb) / 1024:,.0f} | "
               f"{last_json(stdout)['customers']:,} |")
open(section, "w").write("\n".join(out) + "\n")
sys.exit(1 if failed else 0)
EOF
cat "$section"
"$python" "$bench/results_section.py" "$bench/RESULTS.md" clv_vs_scipy "$section" \
  'custlens clv vs pandas + scipy'
if [ "$status" -ne 0 ]; then
  echo "clv_vs_scipy: the engines disagree (see the check column)" >&2
  exit "$status"
fi
