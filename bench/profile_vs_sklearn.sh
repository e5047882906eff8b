#!/usr/bin/env bash
# Times `custlens profile FILE --json` against the same work in pandas + scikit-learn + scipy
# (bench/sklearn_profile.py) on profile tables made by resampling tests/data/
# user_personalized_features.csv rows (with new ids) to N rows: median wall seconds over R runs,
# peak RSS, and custlens' inertia per k against scikit-learn's on the same file. Writes the table
# to stdout and into bench/RESULTS.md between <!-- profile_vs_sklearn --> markers.
#
#   bench/profile_vs_sklearn.sh [--rows 10000,100000] [--runs 3] [--custlens build/custlens]
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
bench="$root/bench"
work="$bench/work"
rows="10000,100000"
runs=3
custlens="$root/build/custlens"
python=/usr/bin/python3
while [ $# -gt 0 ]; do
  case "$1" in
    --rows) rows="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --custlens) custlens="$2"; shift 2 ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) echo "profile_vs_sklearn: unknown argument $1" >&2; exit 2 ;;
  esac
done
[ -x "$custlens" ] || { echo "profile_vs_sklearn: $custlens not built (make build)" >&2; exit 1; }
mkdir -p "$work"

median() { sort -n | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }
# Wall seconds and peak RSS (MB) of a command, via GNU time.
timed() { /usr/bin/time -f '%e %M' "$@" 2>"$work/time.txt" >"$work/out.txt"; tail -1 "$work/time.txt"; }

section="$work/profile_section.md"
{
  echo "Machine: $(lscpu | sed -n 's/^Model name: *//p' | head -1), nproc $(nproc), load average at start $(cut -d' ' -f1-3 /proc/loadavg). Date: $(date +%F). scikit-learn $("$python" -c 'import sklearn; print(sklearn.__version__)'), pandas $("$python" -c 'import pandas; print(pandas.__version__)')."
  echo "Command: \`bench/profile_vs_sklearn.sh --rows $rows --runs $runs\`; input: tests/data/user_personalized_features.csv rows resampled with replacement (seed 1, new ids). Both: read, z-score 6 features, K-Means for k = 2..10 with inertia and silhouette (20,000-row sample above that), PCA, group-bys, 4 chi-square tests. custlens also does RFM, tiers, naming, tier × category, regions and JSON; scikit-learn runs n_init = 10, custlens 20 restarts. Median wall seconds over $runs runs; peak RSS of the last run."
  echo
  echo "| rows | engine | median s | peak RSS MB | vs custlens | inertia custlens / scikit-learn (k = 2..10) |"
  echo "|---:|---|---:|---:|---:|---|"
} >"$section"

IFS=',' read -ra sizes <<<"$rows"
for n in "${sizes[@]}"; do
  file="$work/profiles_$n.csv"
  if [ ! -f "$file" ]; then
    "$python" - "$root/tests/data/user_personalized_features.csv" "$n" "$file" <<'PY'
import sys
import numpy as np
import pandas as pd
src, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
df = pd.read_csv(src, index_col=0)
sample = df.sample(n=n, replace=True, random_state=1).reset_index(drop=True)
sample["User_ID"] = ["#%d" % (i + 1) for i in range(n)]
sample.to_csv(out)
PY
  fi
  c_times=(); p_times=(); c_rss=0; p_rss=0
  for ((r = 1; r <= runs; ++r)); do
    echo "profile_vs_sklearn: $n rows, run $r of $runs" >&2
    read -r s m < <(timed "$custlens" profile "$file" --json --quiet); c_times+=("$s"); c_rss=$m
    cp "$work/out.txt" "$work/custlens_$n.json"
    read -r s m < <(timed "$python" "$bench/sklearn_profile.py" "$file"); p_times+=("$s"); p_rss=$m
    cp "$work/out.txt" "$work/sklearn_$n.json"
  done
  c_med=$(printf '%s\n' "${c_times[@]}" | median)
  p_med=$(printf '%s\n' "${p_times[@]}" | median)
  ratios=$("$python" - "$work/custlens_$n.json" "$work/sklearn_$n.json" <<'PY'
import json, sys
ours = {e["k"]: e["inertia"] for e in json.load(open(sys.argv[1]))["clusters"]["elbow"]}
theirs = json.loads(open(sys.argv[2]).read().strip().splitlines()[-1])["inertia"]
print(", ".join("%.4f" % (ours[k] / theirs[str(k)]) for k in range(2, 11)))
PY
)
  echo "| $n | custlens | $c_med | $((c_rss / 1024)) | 1.00x | $ratios |" >>"$section"
  echo "| $n | scikit-learn | $p_med | $((p_rss / 1024)) | $(awk -v a="$p_med" -v b="$c_med" 'BEGIN {printf "%.1fx", a / b}') | |" >>"$section"
done
cat "$section"
"$python" "$bench/results_section.py" "$bench/RESULTS.md" profile_vs_sklearn "$section" \
  "Customer profiles: custlens profile vs pandas + scikit-learn"
