#!/usr/bin/env bash
# Peak memory of the streaming pipeline where rows and customers grow: `custlens rfm` and
# `custlens analyze` on `custlens gen orders --rows N` (default 100 M rows, about 8 GB), and on N2
# order lines of N2 distinct customers with one order each (default 10 M). Writes the table to
# stdout and into bench/RESULTS.md between markers. Needs about 13 GB of free disk in bench/work.
#
#   bench/memory_bound.sh [--rows 100000000] [--distinct 10000000] [--custlens build/custlens]
set -euo pipefail

invocation="bench/memory_bound.sh${*:+ $*}"
root="$(cd "$(dirname "$0")/.." && pwd)"
bench="$root/bench"
work="$bench/work"
rows=100000000
distinct=10000000
custlens="$root/build/custlens"
while [ $# -gt 0 ]; do
  case "$1" in
    --rows) rows="$2"; shift 2 ;;
    --distinct) distinct="$2"; shift 2 ;;
    --custlens) custlens="$2"; shift 2 ;;
    -h|--help) sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "memory_bound: unknown option $1" >&2; exit 2 ;;
  esac
done
[ -x "$custlens" ] || { echo "memory_bound: $custlens not found; build it first (make build)" >&2; exit 1; }
[ -x /usr/bin/time ] || bash "$root/scripts/install-deps.sh"
mkdir -p "$work"

orders="$work/orders_${rows}_seed1.csv"
if [ ! -s "$orders" ]; then
  echo "memory_bound: generating $rows rows into $orders" >&2
  "$custlens" gen orders --rows "$rows" --seed 1 -o "$orders" >&2
fi
# One order line per customer: customer i buys once (invoice i), so customers = rows.
unique="$work/distinct_customers_${distinct}.csv"
if [ ! -s "$unique" ]; then
  echo "memory_bound: writing $distinct one-order customers into $unique" >&2
  awk -v n="$distinct" 'BEGIN {
    print "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country"
    for (i = 0; i < n; i++)
      printf "%d,SKU%d,ITEM %d,%d,%d/%d/2011 %d:%02d,%.2f,%d,Country%d\n", 600000 + i, i % 5000,
             i % 5000, 1 + i % 7, 1 + int(i / 28) % 12, 1 + i % 28, 8 + i % 10, i % 60,
             0.5 + (i % 997) / 10, 1000000 + i, i % 37
  }' > "$unique.tmp"
  mv "$unique.tmp" "$unique"
fi

table="$(mktemp)"
trap 'rm -f "$table"; rm -rf "$work/memory_out"' EXIT
measure() {  # label command...
  local label="$1"; shift
  local log; log="$(mktemp)"
  /usr/bin/time -f "%e %M" -o "$log" "$@" >/dev/null
  read -r secs kb < "$log"; rm -f "$log"
  printf '| %s | %s | %s | %s |\n' "$label" "$secs" "$(( kb / 1024 ))" \
    "$([ "$kb" -le $((2 * 1024 * 1024)) ] && echo yes || echo "**no**")" >> "$table"
  echo "memory_bound: $label: $secs s, $(( kb / 1024 )) MiB" >&2
}
measure "rfm, $(printf "%'d" "$rows") rows" "$custlens" rfm "$orders" --customers "$work/memory_out.csv" --quiet
measure "analyze, $(printf "%'d" "$rows") rows" "$custlens" analyze "$orders" --out "$work/memory_out" --quiet
measure "rfm, $(printf "%'d" "$distinct") customers of one order" "$custlens" rfm "$unique" --customers "$work/memory_out.csv" --quiet
measure "analyze, $(printf "%'d" "$distinct") customers of one order" "$custlens" analyze "$unique" --out "$work/memory_out" --quiet
rm -f "$work/memory_out.csv"

section="$(mktemp)"
{
  echo "Machine: $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //' | awk '{print $1, $2}'), nproc $(nproc). Date: $(date +%F). $("$custlens" --version | head -1)."
  echo "Command: \`$invocation\`. Wall seconds and peak RSS (\`/usr/bin/time -f %M\`) of one run each; target: peak RSS at most 2 GiB."
  echo
  echo "| run | wall s | peak RSS MiB | within 2 GiB |"
  echo "|---|---:|---:|---|"
  cat "$table"
} > "$section"
cat "$section"
/usr/bin/python3 "$bench/results_section.py" "$bench/RESULTS.md" memory_bound "$section" \
  "Memory bounded by customers, not rows (\`bench/memory_bound.sh\`)"
rm -f "$section"
