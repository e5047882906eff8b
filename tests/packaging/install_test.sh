#!/usr/bin/env bash
# `make install PREFIX=...` of BUILD_DIR (its Release build step skipped: `-o build`) into a
# temporary prefix; the installed binary, started from another folder with a bare environment,
# must read its data files from PREFIX/share/custlens, not from the source tree it was built from.
# Usage: tests/packaging/install_test.sh BUILD_DIR SOURCE_DIR (ctest: packaging.*).
set -euo pipefail

build="$1"
source="$2"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
fail() {
  echo "install_test: $*" >&2
  exit 1
}

prefix="$scratch/prefix"
# MAKEFLAGS cleared: under `make test` this runs inside another make.
MAKEFLAGS= make --no-print-directory -C "$source" -o build install BUILD="$build" PREFIX="$prefix" \
  >/dev/null
[[ -x "$prefix/bin/custlens" ]] || fail "no $prefix/bin/custlens"
# Every shipped file, nothing else.
diff <(cd "$source/share" && find . -type f | sort) \
     <(cd "$prefix/share/custlens" && find . -type f | sort) ||
  fail "share/custlens differs from the source share/"

# From a folder that holds nothing, with no CUSTLENS_SHARE_DIR (nor anything else) set.
mkdir "$scratch/cwd"
bare() { (cd "$scratch/cwd" && env -i PATH=/usr/bin:/bin "$@"); }
installed_share="$(cd "$prefix" && pwd -P)/share/custlens"

version="$(bare "$prefix/bin/custlens" --version)"
[[ "$version" == *"share: $installed_share"* ]] ||
  fail "--version does not name $installed_share: $version"
# Through a symlink elsewhere (a PATH entry), the binary still finds its own prefix.
mkdir "$scratch/links"
ln -s "$prefix/bin/custlens" "$scratch/links/custlens"
version="$(bare "$scratch/links/custlens" --version)"
[[ "$version" == *"share: $installed_share"* ]] || fail "through a symlink: $version"
# The environment still wins.
version="$(bare env CUSTLENS_SHARE_DIR="$scratch/cwd" "$prefix/bin/custlens" --version)"
[[ "$version" == *"share: $scratch/cwd"* ]] || fail "CUSTLENS_SHARE_DIR ignored: $version"

# The files are used, not only named: a marker put into the installed playbook reaches
# summary.json (the source tree's playbook has no such text).
marker="INSTALLED-PLAYBOOK-$$"
sed -i "0,/positioning.en = \"/s//positioning.en = \"$marker /" "$installed_share/playbook.toml"
grep -q "$marker" "$installed_share/playbook.toml" || fail "the marker was not written"
bare "$prefix/bin/custlens" analyze "$source/tests/data/orders_edge.csv" --out "$scratch/out" \
  --quiet >/dev/null
grep -q "$marker" "$scratch/out/summary.json" ||
  fail "summary.json has not the installed playbook's text"

echo "install_test: $prefix/bin/custlens reads $installed_share"
