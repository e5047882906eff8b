#!/usr/bin/env bash
# Regenerates the RFM golden files in tests/reference/golden/<dataset>/<scheme>/ from the pandas
# reference, golden/hashed_ids/ from the HMAC reference, the regression goldens in
# golden/models/ from the statsmodels reference and the profile goldens in golden/profile/ from
# the pandas/scikit-learn/scipy reference, the sales-pattern goldens golden/patterns_*.json from
# the pandas reference, golden/predict/ from the scikit-learn reference, golden/xgboost/ from
# python3-xgboost, the customer features of predict in golden/predict_features/ from the pandas
# reference, golden/forecast/ from the pandas/statsmodels/scikit-learn reference, golden/clv/ from
# the scipy CLV reference, golden/events/ from the pandas reference of custlens events,
# golden/campaign/ from the statsmodels/scipy reference of custlens campaign,
# golden/store/ from the pandas reference of the run store's KPIs and tier migration; with --check,
# regenerates into a temp dir and fails if the committed goldens differ.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
data="$here/../data"
# Debian's python3 carries the pinned pandas; a pyenv python3 on PATH may not.
python=/usr/bin/python3

datasets=(online_retail_invoices.csv online_retail_sample.xlsx orders_edge.csv)
schemes=(five cn8 rfm11)

check=0
case "${1:-}" in
  --check) check=1 ;;
  "") ;;
  *) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac

if [ "$check" -eq 1 ]; then
  out="$(mktemp -d)"
  trap 'rm -rf "$out"' EXIT
else
  out="$here/golden"
fi

for file in "${datasets[@]}"; do
  dataset="${file%.*}"
  for scheme in "${schemes[@]}"; do
    dir="$out/$dataset/$scheme"
    rm -rf "$dir"
    mkdir -p "$dir"
    "$python" "$here/rfm_reference.py" "$data/$file" --scheme "$scheme" --out "$dir"
  done
done

# --hash-ids: HMAC-SHA256 of ids with Python's hmac (reads the orders_edge golden written above).
"$python" "$here/hashed_ids_reference.py" --out "$out/hashed_ids"

rm -rf "$out/models"
mkdir -p "$out/models"
"$python" "$here/models_reference.py" --out "$out/models"

# custlens profile: pandas / scikit-learn / scipy (prints a short summary unless --check).
rm -rf "$out/profile"
mkdir -p "$out/profile"
if [ "$check" -eq 1 ]; then
  "$python" "$here/profile_reference.py" --out "$out/profile" --quiet
else
  "$python" "$here/profile_reference.py" --out "$out/profile"
fi

# Sales patterns (pandas): golden/patterns_*.json.
if [ "$check" -eq 1 ]; then
  mkdir -p "$out/patterns"
  "$python" "$here/patterns_reference.py" --out "$out/patterns" --quiet
else
  "$python" "$here/patterns_reference.py" --out "$out"
fi

# predict's evaluation and targeting (scikit-learn, numpy DeLong): golden/predict/*.json from the
# seeded scores fixtures (tests/data/predict_scores_*.csv, made by the same script's --make-sample).
rm -rf "$out/predict"
mkdir -p "$out/predict"
"$python" "$here/predict_reference.py" "$data/predict_scores_sample.csv" \
  --out "$out/predict/scores_sample.json" \
  --targeting 1.5,10,150 --targeting 0,25 --targeting 8,10,2000
"$python" "$here/predict_reference.py" "$data/predict_scores_tiny.csv" \
  --out "$out/predict/scores_tiny.json" --targeting 2,5,3
# `custlens predict tests/data/online_retail_invoices.csv --scores ...` (XGBoost, the defaults),
# judged with a contact cost of 10 and a margin of 100 (tests/cli/predict_test.cpp).
"$python" "$here/predict_reference.py" "$data/predict_scores_uci.csv" \
  --out "$out/predict/scores_uci.json" --targeting 10,100
# The logistic baseline (scikit-learn, newton-cholesky) on the feature table of the XGBoost golden;
# --drop: the columns custlens leaves out for it (the test checks that list).
"$python" "$here/logistic_reference.py" "$data/predict_features_uci.csv" \
  --drop cancellation_share,orders_180d,orders_trend_180d \
  --out "$out/predict/logistic_uci_invoices.json"

# XGBoost (python3-xgboost) on the feature table custlens wrote (tests/data/predict_features_uci.csv,
# from `custlens predict tests/data/online_retail_invoices.csv --features ...`): golden/xgboost/.
rm -rf "$out/xgboost"
mkdir -p "$out/xgboost"
"$python" "$here/xgboost_reference.py" "$data/predict_features_uci.csv" \
  --out "$out/xgboost/uci_invoices.json"

# Customer features and labels of predict (pandas): golden/predict_features/.
rm -rf "$out/predict_features"
"$python" "$here/predict_features_reference.py" --out "$out/predict_features"
# custlens forecast: pandas series, statsmodels ETS, numpy/scikit-learn metrics: golden/forecast/.
rm -rf "$out/forecast"
mkdir -p "$out/forecast"
"$python" "$here/forecast_reference.py" --out "$out/forecast"
# custlens clv: BG/NBD, MBG/NBD, Pareto/NBD and Gamma-Gamma in scipy on the CDNOW sample, and the
# summary of tests/data/clv_edge_lines.csv: golden/clv/ (prints the published-vs-reference table
# unless --check).
rm -rf "$out/clv"
mkdir -p "$out/clv"
if [ "$check" -eq 1 ]; then
  "$python" "$here/clv_reference.py" --out "$out/clv" --quiet
else
  "$python" "$here/clv_reference.py" --out "$out/clv"
fi
# custlens events (pandas, zoneinfo): one golden/events/<case>.json per (input, options) case,
# with the case's command line under "case".
rm -rf "$out/events"
"$python" "$here/events_reference.py" --golden "$out/events"
# custlens campaign (statsmodels, scipy, numpy CUPED, the pandas RFM reference for tiers): one
# golden/campaign/<case>.json per case, on the seeded fixtures of make_campaign_fixtures.py.
rm -rf "$out/campaign"
"$python" "$here/campaign_reference.py" --golden "$out/campaign"

# The run store (pandas over the RFM reference): golden/store/<scheme>/ holds the KPIs of two
# snapshots of one shop (history.json), their tier migration (migration.json) and the movers.
for scheme in five cn8; do
  rm -rf "$out/store/$scheme"
  "$python" "$here/store_reference.py" "$data/store_orders_2011h1.csv" \
    "$data/online_retail_invoices.csv" --scheme "$scheme" --out "$out/store/$scheme"
done

if [ "$check" -eq 1 ]; then
  # Only what this script writes is compared (golden/ also holds other references' outputs).
  differ=0
  for file in "${datasets[@]}"; do
    diff -r "$here/golden/${file%.*}" "$out/${file%.*}" || differ=1
  done
  diff -r "$here/golden/hashed_ids" "$out/hashed_ids" || differ=1
  diff -r "$here/golden/models" "$out/models" || differ=1
  diff -r "$here/golden/profile" "$out/profile" || differ=1
  diff -r "$here/golden/predict" "$out/predict" || differ=1
  diff -r "$here/golden/xgboost" "$out/xgboost" || differ=1
  diff -r "$here/golden/predict_features" "$out/predict_features" || differ=1
  diff -r "$here/golden/forecast" "$out/forecast" || differ=1
  diff -r "$here/golden/clv" "$out/clv" || differ=1
  diff -r "$here/golden/events" "$out/events" || differ=1
  diff -r "$here/golden/campaign" "$out/campaign" || differ=1
  diff -r "$here/golden/store" "$out/store" || differ=1
  for golden in "$out"/patterns/*.json; do
    diff "$here/golden/$(basename "$golden")" "$golden" || differ=1
  done
  if [ "$differ" -eq 0 ]; then
    echo "regenerate: goldens are up to date"
  else
    echo "regenerate: committed goldens differ from the reference (run $0 and commit)" >&2
    exit 1
  fi
else
  echo "regenerate: wrote $out"
fi
