#!/usr/bin/env bash
# Times `custlens forecast FILE --models seasonal_naive,ets --json` against the same job in
# pandas + statsmodels (bench/statsmodels_forecast.py: daily revenue with zeros, seasonal naive
# and the AICc-best ETSModel of the same admissible set, 3 backtest origins, the 28-day holdout,
# the refit on all days) on the same file: median wall time over N runs, the ratio, and custlens
# with all three models (XGBoost too) for reference; writes the table to stdout and into
# bench/RESULTS.md between markers.
#
#   bench/forecast_vs_statsmodels.sh [--input tests/data/online_retail_invoices.csv] [--runs 5]
#                                    [--custlens build-rel/custlens]
set -euo pipefail

invocation="bench/forecast_vs_statsmodels.sh${*:+ $*}"
root="$(cd "$(dirname "$0")/.." && pwd)"
bench="$root/bench"
work="$bench/work"
python=/usr/bin/python3
input="$root/tests/data/online_retail_invoices.csv"
runs=5
custlens="$root/build-rel/custlens"

usage() { sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
  case "$1" in
    --input) input="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --custlens) custlens="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "forecast_vs_statsmodels: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || { echo "forecast_vs_statsmodels: --runs must be a positive integer" >&2; exit 2; }
if [ ! -x "$custlens" ]; then
  echo "forecast_vs_statsmodels: $custlens not found; build it first (make build)" >&2
  exit 1
fi
mkdir -p "$work"

load_at_start="$(cut -d' ' -f1-3 /proc/loadavg)"
times="$work/forecast_times.tsv"
: >"$times"
run_timed() {
  local label="$1" output="$2"; shift 2
  local start end
  start="$(date +%s.%N)"
  "$@" >"$output"
  end="$(date +%s.%N)"
  printf '%s\t%s\n' "$label" "$("$python" -c "print(f'{$end - $start:.3f}')")" >>"$times"
}

for ((i = 1; i <= runs; i++)); do
  echo "forecast_vs_statsmodels: run $i of $runs" >&2
  run_timed custlens "$work/custlens_forecast.json" \
    "$custlens" forecast "$input" --models seasonal_naive,ets --json --quiet
  run_timed statsmodels "$work/statsmodels_forecast.json" \
    "$python" "$bench/statsmodels_forecast.py" "$input"
  run_timed custlens_all "$work/custlens_forecast_all.json" \
    "$custlens" forecast "$input" --json --quiet
done

section="$work/forecast_section.md"
"$python" - "$times" "$work" "$section" "$invocation" "$load_at_start" "$runs" "$input" <<'PY'
import datetime, json, os, platform, statistics, sys
import statsmodels

times_file, work, section, invocation, load, runs, input_file = sys.argv[1:]
times = {}
for line in open(times_file):
    label, seconds = line.split()
    times.setdefault(label, []).append(float(seconds))
median = {label: statistics.median(values) for label, values in times.items()}
ours = json.load(open(os.path.join(work, "custlens_forecast.json")))
theirs = json.load(open(os.path.join(work, "statsmodels_forecast.json")))
ours_all = json.load(open(os.path.join(work, "custlens_forecast_all.json")))
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
base = median["custlens"]
bt = {m["name"]: m["backtest_mase"] for m in ours["models"]}
lines = [
    f"Machine: {cpu}, {os.cpu_count()} CPUs, load at start {load}; {platform.python_version()} "
    f"statsmodels {statsmodels.__version__}; {datetime.date.today()}. Command: `{invocation}`; "
    f"input `{os.path.basename(input_file)}`, daily revenue, {runs} runs, medians of wall time "
    "(process start to exit, reading the CSV included).",
    "",
    "| job | engine | median s | vs custlens | chosen | holdout MAE | backtest MASE snaive / ETS |",
    "|---|---|---|---|---|---|---|",
    f"| snaive + ETS (AICc), 3 origins + holdout + refit | custlens | {base:.3f} | 1.0x | "
    f"{ours['model']} ({ours['model_detail']}) | {ours['metrics']['mae']:,.0f} | "
    f"{bt['seasonal_naive']:.3f} / {bt['ets']:.3f} |",
    f"| the same | pandas + statsmodels | {median['statsmodels']:.3f} | "
    f"{median['statsmodels'] / base:.1f}x | {theirs['model']} ({theirs['ets_on_all_days']}) | "
    f"{theirs['mae']:,.0f} | {theirs['backtest_mase']['seasonal_naive']:.3f} / "
    f"{theirs['backtest_mase']['ets']:.3f} |",
    f"| snaive + ETS + XGBoost | custlens | {median['custlens_all']:.3f} | "
    f"{median['custlens_all'] / base:.1f}x | {ours_all['model']} ({ours_all['model_detail']}) | "
    f"{ours_all['metrics']['mae']:,.0f} | |",
    "",
    "Both fit the same ETS models (the six additive ones: the daily series has zeros) at each of "
    "the five fits; custlens runs BOBYQA from two starts plus two polishes per model, "
    "statsmodels one L-BFGS with numerical gradients; custlens's fits reach an equal or higher "
    "likelihood (tests/models/ets_test.cpp), so their forecasts and backtest MASE differ a little.",
    "",
    f"Where the time goes: statsmodels' script spends {theirs['seconds']['total']:.2f} s in its own "
    f"work (CSV read and daily sums {theirs['seconds']['read']:.2f} s, the rest 30 ETS fits) and "
    f"the remaining {median['statsmodels'] - theirs['seconds']['total']:.2f} s of its median in "
    "starting Python and importing pandas and statsmodels; custlens's time is nearly all the ETS "
    "fits (BOBYQA, about 1,000–5,000 likelihood evaluations per model), the read is a few ms. "
    "The machine is shared (load above): medians of a quiet machine will be lower for both.",
    "",
]
open(section, "w").write("\n".join(lines))
print("\n".join(lines))
PY
"$python" "$bench/results_section.py" "$bench/RESULTS.md" forecast_vs_statsmodels "$section" \
  "Forecast: custlens vs statsmodels"
