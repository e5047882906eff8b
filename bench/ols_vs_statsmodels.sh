#!/usr/bin/env bash
# Times `custlens ols FILE --y y --x all` against the same regression in pandas + statsmodels
# (bench/statsmodels_ols.py) on one generated file (bench/make_regression_data.py: 1 M rows, 20
# regressors after coding): median wall time over N runs, checks that both agree on R², F,
# every coefficient and VIF, writes the table to stdout and into bench/RESULTS.md between
# markers. With the Google Benchmark kernels built (-DCUSTLENS_BENCH=ON, bench/ols_bench.cpp) it
# also times custlens' model alone, without reading a file.
#
#   bench/ols_vs_statsmodels.sh [--rows 1000000] [--runs 3] [--custlens build/custlens]
#                               [--custlens-bench build/custlens_bench]
set -euo pipefail

invocation="bench/ols_vs_statsmodels.sh${*:+ $*}"
root="$(cd "$(dirname "$0")/.." && pwd)"
bench="$root/bench"
work="$bench/work"
python=/usr/bin/python3
rows=1000000
runs=3
seed=1
custlens="$root/build/custlens"
custlens_bench="$root/build/custlens_bench"

usage() { sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
  case "$1" in
    --rows) rows="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --custlens) custlens="$2"; shift 2 ;;
    --custlens-bench) custlens_bench="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "ols_vs_statsmodels: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || { echo "ols_vs_statsmodels: --runs must be a positive integer" >&2; exit 2; }
if [ ! -x "$custlens" ]; then
  echo "ols_vs_statsmodels: $custlens not found; build it first (make build)" >&2
  exit 1
fi

mkdir -p "$work"
data="$work/regression_${rows}_seed${seed}.csv"
if [ ! -s "$data" ] || [ "$bench/make_regression_data.py" -nt "$data" ]; then
  echo "ols_vs_statsmodels: generating $rows rows into $data" >&2
  "$python" "$bench/make_regression_data.py" --rows "$rows" --seed "$seed" -o "$data"
fi

load_at_start="$(cut -d' ' -f1-3 /proc/loadavg)"
times="$work/ols_times.tsv"
: >"$times"
# run_timed LABEL OUTPUT CMD...: one run; appends "label<TAB>seconds" to $times, stdout to OUTPUT.
run_timed() {
  local label="$1" output="$2"; shift 2
  local start end
  start="$(date +%s.%N)"
  "$@" >"$output"
  end="$(date +%s.%N)"
  printf '%s\t%s\n' "$label" "$("$python" -c "print(f'{$end - $start:.3f}')")" >>"$times"
}

for ((i = 1; i <= runs; i++)); do
  echo "ols_vs_statsmodels: run $i of $runs" >&2
  run_timed custlens "$work/custlens_ols.json" "$custlens" ols "$data" --y y --x all --json --quiet
  run_timed statsmodels "$work/statsmodels_ols_$i.json" "$python" "$bench/statsmodels_ols.py" "$data"
  run_timed statsmodels_no_vif "$work/statsmodels_no_vif.json" "$python" "$bench/statsmodels_ols.py" "$data" --no-vif
done

kernel="$work/ols_kernel.json"
rm -f "$kernel"
if [ -x "$custlens_bench" ]; then
  echo "ols_vs_statsmodels: model-only kernel ($custlens_bench)" >&2
  # The malloc settings custlens' main() gives itself (src/cli/main.cpp); the kernel binary has
  # its own main, and without them every 4 KB page of the design matrix faults on first touch.
  GLIBC_TUNABLES="glibc.malloc.hugetlb=1:glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=4294967296" \
    "$custlens_bench" --benchmark_filter='BM_OlsFit/1000000/0$' --benchmark_repetitions="$runs" \
    --benchmark_format=json >"$kernel"
else
  echo "ols_vs_statsmodels: $custlens_bench not built (-DCUSTLENS_BENCH=ON): no model-only row" >&2
fi

section="$work/ols_section.md"
status=0
"$python" - "$times" "$work" "$section" "$invocation" "$load_at_start" "$rows" "$runs" "$kernel" <<'EOF' || status=$?
import datetime, json, os, platform, statistics, subprocess, sys
import pandas, statsmodels

times_file, work, section, invocation, load, rows, runs, kernel = sys.argv[1:]
rows = int(rows)
times = {}
for line in open(times_file):
    label, seconds = line.split()
    times.setdefault(label, []).append(float(seconds))
median = {label: statistics.median(values) for label, values in times.items()}

ours = json.load(open(f"{work}/custlens_ols.json"))
runs = [json.load(open(f"{work}/statsmodels_ols_{i}.json")) for i in range(1, int(runs) + 1)]
theirs = runs[-1]
# statsmodels' own phase timings, median over the runs.
phases = {key: statistics.median(r["seconds"][key] for r in runs) for key in runs[0]["seconds"]}
def close(a, b):
    return abs(a - b) <= 1e-6 * max(abs(a), abs(b), 1e-300)
coefficients = {c["name"]: c for c in ours["coefficients"]}
mismatch = [name for name, value in theirs["coefficients"].items()
            if name not in coefficients or not close(coefficients[name]["estimate"], value)]
mismatch += [f"VIF {name}" for name, value in theirs["vif"].items()
             if not close(coefficients[name]["vif"], value)]
if not close(ours["r_squared"], theirs["r_squared"]):
    mismatch.append("r_squared")
if not close(ours["f_statistic"], theirs["f_statistic"]):
    mismatch.append("f_statistic")
check = "ok" if not mismatch else "MISMATCH: " + ", ".join(mismatch[:5])
regressors = len(ours["coefficients"]) - 1

cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")),
           platform.machine())
nproc = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
base = median["custlens"]
model = None
if os.path.exists(kernel):
    entries = [b for b in json.load(open(kernel))["benchmarks"] if b.get("aggregate_name") == "median"]
    if entries:
        model = entries[0]["real_time"] / 1000.0  # ms
sm_model = phases["fit_and_summary"] + phases["vif"]
out = [
    f"Machine: {cpu}, nproc {nproc}, load average at start {load}. "
    f"Date: {datetime.date.today().isoformat()}. pandas {pandas.__version__}, "
    f"statsmodels {statsmodels.__version__}.",
    f"Command: `{invocation}`; input: `bench/make_regression_data.py --rows {rows} --seed 1` "
    f"({rows:,} rows, {regressors} regressors after coding: 16 numbers, 2 booleans, one "
    "three-level category), the same file for both. Median wall seconds over "
    f"{len(times['custlens'])} runs; vs custlens = median / custlens median. Both read the CSV, "
    "code it, fit OLS with a constant and compute the summary statistics; \"+ VIFs\" adds "
    "one variance inflation factor per regressor, which custlens always prints. check = same "
    "R², F, coefficients and VIFs as custlens (1e-6 relative).",
    "",
    "| job | engine | median s | vs custlens | check |",
    "|---|---|---:|---:|---|",
    f"| read + fit + summary + VIFs | custlens | {base:.3f} | 1.00x | |",
    f"| read + fit + summary + VIFs | statsmodels | {median['statsmodels']:.3f} | "
    f"{median['statsmodels'] / base:.1f}x | {check} |",
    f"| read + fit + summary | statsmodels | {median['statsmodels_no_vif']:.3f} | "
    f"{median['statsmodels_no_vif'] / base:.1f}x | |",
    "",
    "Where the time goes (medians): statsmodels as timed inside `bench/statsmodels_ols.py`; "
    "custlens' model alone by the kernel `BM_OlsFit/1000000/0` (bench/ols_bench.cpp: the same "
    "shape of table built in memory; design matrix, QR, summary statistics and VIFs, with the "
    "command's malloc settings; repeated runs reuse memory the command touches fresh once), "
    "the rest of the command's time as reading.",
    "",
    "| phase | custlens s | statsmodels s |",
    "|---|---:|---:|",
]
if model is not None:
    out += [
        f"| read CSV (and the rest) | {max(base - model, 0):.3f} | {phases['read']:.3f} |",
        f"| code, fit, summary, VIFs | {model:.3f} | "
        f"{sm_model:.3f} ({sm_model / model:.0f}x) |",
        f"| of which VIFs | (from the same QR) | {phases['vif']:.3f} |",
        f"| code, fit, summary without VIFs | | "
        f"{phases['fit_and_summary']:.3f} ({phases['fit_and_summary'] / model:.0f}x) |",
    ]
else:
    out += [
        f"| read CSV | (kernel not built) | {phases['read']:.3f} |",
        f"| code, fit, summary | | {phases['fit_and_summary']:.3f} |",
        f"| VIFs | | {phases['vif']:.3f} |",
    ]
open(section, "w").write("\n".join(out) + "\n")
sys.exit(1 if mismatch else 0)
EOF
cat "$section"

"$python" "$bench/results_section.py" "$bench/RESULTS.md" ols_vs_statsmodels "$section" \
  'custlens ols vs statsmodels'

if [ "$status" -ne 0 ]; then
  echo "ols_vs_statsmodels: custlens and statsmodels disagree (see the check column)" >&2
  exit "$status"
fi
