#!/usr/bin/env bash
# Times `custlens predict FILE --json` (defaults: horizon 90, xgboost, test share 0.3, seed 42)
# against pandas + python3-xgboost doing the same features, split, fit, baseline, refit and scoring
# (bench/pandas_predict.py) on one generated UCI order file: median wall time over N runs, peak
# RSS; checks that both find the same population, positives and feature columns; writes the table
# to stdout and into bench/RESULTS.md between markers.
#
#   bench/predict_vs_peers.sh [--rows 20000000] [--customers 1000000] [--runs 3]
#                             [--pandas-runs 1] [--custlens build-rel/custlens]
set -euo pipefail

invocation="bench/predict_vs_peers.sh${*:+ $*}"
root="$(cd "$(dirname "$0")/.." && pwd)"
bench="$root/bench"
work="$bench/work"
python=/usr/bin/python3
rows=20000000
customers=1000000
runs=3
pandas_runs=1
custlens="$root/build-rel/custlens"
seed=1

usage() { sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
  case "$1" in
    --rows) rows="$2"; shift 2 ;;
    --customers) customers="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --pandas-runs) pandas_runs="$2"; shift 2 ;;
    --custlens) custlens="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "predict_vs_peers: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done
for n in "$rows" "$customers" "$runs" "$pandas_runs"; do
  [[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "predict_vs_peers: counts must be positive integers" >&2; exit 2; }
done
if [ ! -x /usr/bin/time ]; then
  echo "predict_vs_peers: installing Debian 'time' for /usr/bin/time" >&2
  bash "$root/scripts/install-deps.sh"
fi
if [ ! -x "$custlens" ]; then
  echo "predict_vs_peers: $custlens not found; build it first (a Release build)" >&2
  exit 1
fi

mkdir -p "$work"
nproc_count="$(nproc)"
cpu_model="$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
cpu_model="${cpu_model:-$(uname -m)}"
versions="$("$python" -c 'import pandas, xgboost, sklearn; print(f"pandas {pandas.__version__}, python3-xgboost {xgboost.__version__}, scikit-learn {sklearn.__version__}")')"
custlens_version="$("$custlens" --version 2>/dev/null | head -1 || true)"
load_at_start="$(cut -d' ' -f1-3 /proc/loadavg)"
results="$work/predict_results.tsv"
: >"$results"

# run_timed OUT_PREFIX CMD...: one timed run; appends "seconds<TAB>peak_kb" to OUT_PREFIX.times
run_timed() {
  local prefix="$1"; shift
  local start end
  start="$(date +%s.%N)"
  if ! /usr/bin/time -f '%M' -o "$prefix.rss" "$@" >"$prefix.stdout" 2>"$prefix.stderr"; then
    echo "predict_vs_peers: failed: $*" >&2
    tail -20 "$prefix.stderr" >&2
    exit 1
  fi
  end="$(date +%s.%N)"
  printf '%s\t%s\n' "$("$python" -c "print(f'{$end - $start:.3f}')")" "$(tail -1 "$prefix.rss")" \
    >>"$prefix.times"
}

orders="$work/orders_${rows}_c${customers}_seed${seed}.csv"
if [ ! -s "$orders" ] || [ "$custlens" -nt "$orders" ]; then
  echo "predict_vs_peers: generating $rows rows, $customers customers into $orders" >&2
  "$custlens" gen orders --rows "$rows" --customers "$customers" --seed "$seed" -o "$orders"
fi

for engine in custlens pandas; do
  prefix="$work/predict_${engine}_${rows}"
  rm -f "$prefix.times"
  engine_runs="$runs"
  [ "$engine" = pandas ] && engine_runs="$pandas_runs"
  for ((i = 1; i <= engine_runs; i++)); do
    echo "predict_vs_peers: $engine run $i of $engine_runs" >&2
    case "$engine" in
      custlens) run_timed "$prefix" "$custlens" predict "$orders" --json --quiet ;;
      pandas) run_timed "$prefix" "$python" "$bench/pandas_predict.py" "$orders" ;;
    esac
  done
  printf '%s\t%s\t%s\n' "$engine" "$(tr '\t\n' ':;' <"$prefix.times")" "$prefix.stdout" >>"$results"
done

section="$work/predict_section.md"
status=0
"$python" - "$results" "$section" "$nproc_count" "$cpu_model" "$custlens_version" "$versions" \
  "$invocation" "$load_at_start" "$rows" "$customers" <<'EOF' || status=$?
import datetime, json, statistics, sys

results, section, nproc, cpu, custlens_v, versions, invocation, load, rows, customers = sys.argv[1:]
rows, customers = int(rows), int(customers)
entries = {}
for line in open(results):
    engine, times, stdout = line.rstrip("\n").split("\t")
    runs = [t.split(":") for t in times.split(";") if t]
    text = open(stdout).read().strip()
    try:
        answer = json.loads(text)  # custlens: one (indented) object
    except json.JSONDecodeError:
        answer = json.loads(text.splitlines()[-1])  # pandas: its last line
    entries[engine] = (runs, answer)

def summary(engine):
    runs, answer = entries[engine]
    if engine == "custlens":
        baseline = answer.get("baseline") or {}
        return {
            "population": answer["population"], "positives": answer["positives"],
            "auc": answer["test"]["auc"], "baseline_auc": baseline.get("auc"),
            "features": answer["features"],
            "cutoff": answer["cutoff"], "as_of": answer["as_of"],
        }
    return {"population": answer["population"], "positives": answer["positives"],
            "auc": answer["auc"], "baseline_auc": answer["baseline_auc"],
            "features": answer["features"], "cutoff": answer["cutoff"], "as_of": answer["as_of"]}

base = summary("custlens")
base_median = statistics.median(float(t[0]) for t in entries["custlens"][0])
out = [
    f"Machine: {cpu}, nproc {nproc}, load average at start {load}. "
    f"Date: {datetime.date.today().isoformat()}. {custlens_v or 'custlens'}; {versions}.",
    f"Command: `{invocation}`; input: `custlens gen orders --rows {rows} --customers {customers} "
    "--seed 1` (the same file for both). custlens: `custlens predict FILE --json --quiet` "
    "(defaults: horizon 90 days, XGBoost with early stopping, logistic baseline, refit, scores "
    "and SHAP reasons of every current customer). pandas: `bench/pandas_predict.py FILE` (the "
    "same features, split shares, booster parameters, baseline, refit and scoring; its own seeded "
    "split, so the AUCs differ a little). Median wall seconds; vs custlens = median / custlens "
    "median; peak RSS = the largest over the runs (`/usr/bin/time -f %M`); check = same "
    f"population, positives, cutoff, as_of and feature columns as custlens. Cutoff "
    f"{base['cutoff']}, as_of {base['as_of']}, {len(base['features'])} features.",
    "",
    "| engine | runs | median s | vs custlens | peak RSS MB | population | positives | test AUC | baseline AUC | check |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
]
failed = False
for engine in ("custlens", "pandas"):
    runs, _ = entries[engine]
    s = summary(engine)
    seconds = [float(t[0]) for t in runs]
    median = statistics.median(seconds)
    peak = max(int(t[1]) for t in runs) / 1024
    check = "ok"
    if engine != "custlens":
        keys = ("population", "positives", "cutoff", "as_of", "features")
        if any(s[k] != base[k] for k in keys):
            check = "MISMATCH " + ", ".join(f"{k} {s[k]} vs {base[k]}" for k in keys if s[k] != base[k])
            failed = True
    baseline_auc = f"{s['baseline_auc']:.4f}" if s["baseline_auc"] is not None else ""
    out.append(
        f"| {engine} | {len(seconds)} | {median:.2f} | {median / base_median:.2f}x | {peak:,.0f} | "
        f"{s['population']:,} | {s['positives']:,} | {s['auc']:.4f} | {baseline_auc} | {check} |"
    )
open(section, "w").write("\n".join(out) + "\n")
sys.exit(1 if failed else 0)
EOF
cat "$section"
"$python" "$bench/results_section.py" "$bench/RESULTS.md" predict_vs_peers "$section" \
  'custlens predict vs pandas + python3-xgboost'
if [ "$status" -ne 0 ]; then
  echo "predict_vs_peers: the engines disagree on the population (see the check column)" >&2
  exit "$status"
fi
