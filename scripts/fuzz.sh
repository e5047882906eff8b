#!/usr/bin/env bash
# `make fuzz`: builds the libFuzzer targets of tests/fuzz with clang (ASan + UBSan) into
# $FUZZ_BUILD and runs each for $FUZZ_SECONDS seconds, starting from its committed seed corpus.
# New inputs go to $FUZZ_BUILD/corpus/<target> (the committed corpus is not touched); crashes to
# $FUZZ_BUILD/crashes/. Usage: scripts/fuzz.sh [target...]   (default: every target)
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
build="${FUZZ_BUILD:-$root/build-fuzz}"
seconds="${FUZZ_SECONDS:-60}"
jobs="${JOBS:-$(nproc)}"
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then targets=(csv xlsx dates toml); fi

cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_COMPILER=clang++ -DCUSTLENS_FUZZ=ON -DCUSTLENS_TESTS=OFF \
  ${FUZZ_CMAKE_FLAGS:-} >/dev/null
cmake --build "$build" -j "$jobs" --target "${targets[@]/#/fuzz_}"

mkdir -p "$build/crashes"
status=0
for target in "${targets[@]}"; do
  mkdir -p "$build/corpus/$target"
  echo "fuzz: $target for ${seconds}s" >&2
  # -timeout: one input taking 10 s is a hang; -rss_limit_mb: the readers map whole files.
  if ! "$build/tests/fuzz/fuzz_$target" -max_total_time="$seconds" -timeout=10 \
      -rss_limit_mb=4096 -print_final_stats=1 -artifact_prefix="$build/crashes/$target-" \
      "$build/corpus/$target" "$root/tests/fuzz/corpus/$target"; then
    echo "fuzz: $target found a crash: $build/crashes/$target-*" >&2
    status=1
  fi
done
exit $status
