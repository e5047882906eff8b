#!/usr/bin/env bash
# Fails when a file of a lower layer includes a header of a higher one (src/README.md: data flows
# io → core → pipeline/analysis/models → report → server → cli; common/ and the base public
# headers sit below all). Run by ctest (layering.*); usage: scripts/check-layers.sh [ROOT].
#
# Layers, lowest first. A public header (include/custlens/X.h) has the layer of what it declares:
#   0 common    src/common/, custlens/error.h, progress.h, lang.h, version.h
#   1 io        src/io/, custlens/table.h (the Table the readers fill), ingest.h
#   2 core      src/core/, custlens/roles.h, orders.h, clean.h, outliers.h, order_filter.h,
#               profile_table.h, profile_filter.h
#   3 analyses  src/pipeline/, src/analysis/, src/models/, custlens/rfm.h, patterns.h, profile.h,
#               regression.h (one layer: the pipeline runs the analyses, which read its units)
#   4 report    src/report/
#   5 server    src/server/
#   6 cli       src/cli/
# A new public header must be given a layer here, or the check fails.
set -euo pipefail

root="${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
cd "$root"

mapfile -t files < <(find src include -type f \( -name '*.h' -o -name '*.cpp' \) 2>/dev/null | sort)
if [[ ${#files[@]} -eq 0 ]]; then
  echo "check-layers: no sources under $root/src or $root/include" >&2
  exit 2
fi

# grep prints FILE:LINE:#include "X"; awk maps both ends to a layer and reports upward edges.
grep -HnE '^[[:space:]]*#[[:space:]]*include[[:space:]]*"[^"]+"' "${files[@]}" | awk '
function header_layer(h) {
  if (h ~ /^common\//) return 0
  if (h ~ /^io\//) return 1
  if (h ~ /^core\//) return 2
  if (h ~ /^(pipeline|analysis|models)\//) return 3
  if (h ~ /^report\//) return 4
  if (h ~ /^server\//) return 5
  if (h ~ /^cli\//) return 6
  if (h ~ /^custlens\//) {
    name = substr(h, 10)
    if (name ~ /^(error|progress|lang|version)\.h$/) return 0
    if (name ~ /^(table|ingest)\.h$/) return 1
    if (name ~ /^(roles|orders|clean|outliers|order_filter|profile_table|profile_filter)\.h$/) return 2
    if (name ~ /^(rfm|patterns|profile|regression)\.h$/) return 3
    return -2  # a public header with no layer yet
  }
  return -1  # not ours (third-party headers included with quotes)
}
function file_layer(f) {
  if (f ~ /^include\/custlens\//) return header_layer(substr(f, 9))
  if (f ~ /^src\//) return header_layer(substr(f, 5))
  return -1
}
BEGIN { split("common io core analyses report server cli", names, " "); bad = 0 }
{
  file = $0; sub(/:.*/, "", file)
  rest = substr($0, length(file) + 2); line = rest; sub(/:.*/, "", line)
  inc = rest; sub(/^[^"]*"/, "", inc); sub(/".*/, "", inc)
  from = file_layer(file); to = header_layer(inc)
  if (from == -2 || to == -2) {
    printf "%s:%s: %s has no layer: add it to scripts/check-layers.sh\n", file, line,
           (from == -2 ? file : inc)
    bad = 1
  } else if (from >= 0 && to > from) {
    printf "%s:%s: includes %s (%s) from %s\n", file, line, inc, names[to + 1], names[from + 1]
    bad = 1
  }
}
END {
  if (bad) { print "check-layers: back edges found (src/README.md, layers)"; exit 1 }
}
'
echo "check-layers: ${#files[@]} files, no back edges"
