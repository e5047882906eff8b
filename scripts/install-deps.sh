#!/usr/bin/env bash
# Installs every Debian package that custlens needs to build, test and benchmark, and the npm
# packages of web/ (ECharts for report.html). Idempotent: does nothing when all are present;
# otherwise runs `apt-get update` once.
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake ninja-build pkg-config git
  # clang builds `make test` (ASan/UBSan; at -O0 it compiles this code in half GCC's time) and
  # `make fuzz`; libclang-rt-dev holds its sanitizer and libFuzzer runtimes; lld links the
  # sanitizer build's binaries in a quarter of GNU ld's time
  clang libclang-rt-dev lld
  # libraries
  libgtest-dev libgmock-dev libbenchmark-dev
  libfmt-dev libcli11-dev nlohmann-json3-dev libfast-float-dev libabsl-dev libtbb-dev
  libeigen3-dev libboost-dev libboost-math-dev libxgboost-dev
  # the ETS forecast models' maximum-likelihood fits
  libnlopt-dev
  libzip-dev libexpat1-dev libxlsxwriter-dev libuchardet-dev libtomlplusplus-dev
  libsqlite3-dev libpq-dev libpqxx-dev libcpp-httplib-dev
  # a real PostgreSQL server for the tests of PostgreSQL inputs and stores (initdb, pg_ctl on a
  # loopback port in a temporary folder: tests/support/postgres_server.sh)
  postgresql
  # HMAC-SHA256 of customer ids (--hash-ids)
  libssl-dev
  # independent reference implementations (tests/reference) and peers for bench/
  python3 python3-pandas python3-numpy python3-scipy python3-openpyxl
  python3-statsmodels python3-sklearn python3-xgboost
  # /usr/bin/time measures peak RSS in bench/rfm_vs_peers.sh; wrk loads the dashboard in
  # bench/dashboard_load.sh
  time wrk
  # the browser test (tests/e2e) drives Debian's Chromium with playwright-core from npm; a CJK
  # font, so that the Chinese report is laid out (and screenshotted) with real glyphs
  chromium fonts-wqy-microhei
)
# Node.js and npm (ECharts for the report, playwright-core, DuckDB for bench/): Debian's when the
# machine has none; a Node.js from elsewhere (which bundles npm) is kept.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  packages+=(nodejs npm)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}" >&2
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# npm folders, each pinned by its package-lock.json: web/ (ECharts, embedded into report.html at
# build time) and tests/e2e/ (playwright-core for the browser test).
root="$(cd "$(dirname "$0")/.." && pwd)"
bash "$root/scripts/npm-install.sh" "$root/web"
bash "$root/scripts/npm-install.sh" "$root/tests/e2e"
