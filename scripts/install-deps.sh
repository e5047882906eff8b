#!/usr/bin/env bash
# Installs every Debian package that custlens needs to build, test and benchmark.
# Idempotent: does nothing when all packages are present; otherwise runs `apt-get update` once.
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake ninja-build pkg-config git
  # libraries
  libgtest-dev libgmock-dev libbenchmark-dev
  libfmt-dev libcli11-dev nlohmann-json3-dev libfast-float-dev libabsl-dev libtbb-dev
  libeigen3-dev libboost-math-dev libxgboost-dev
  libzip-dev libexpat1-dev libxlsxwriter-dev libuchardet-dev libtomlplusplus-dev
  libsqlite3-dev libpq-dev libpqxx-dev libcpp-httplib-dev
  # HMAC-SHA256 of customer ids (--hash-ids)
  libssl-dev
  # independent reference implementations (tests/reference) and peers for bench/
  python3 python3-pandas python3-numpy python3-scipy python3-openpyxl
  python3-statsmodels python3-sklearn
  # /usr/bin/time measures peak RSS in bench/rfm_vs_peers.sh
  time
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "install-deps: installing ${missing[*]}" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
