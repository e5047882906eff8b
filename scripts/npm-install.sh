#!/usr/bin/env bash
# Installs the npm packages of one folder (web/, tests/e2e/, bench/) from its committed lock file.
# Idempotent: does nothing while DIR/node_modules is newer than DIR/package-lock.json. When npm
# fails but an earlier install is there, that one is kept (offline rebuilds still work).
#   scripts/npm-install.sh DIR
set -euo pipefail
dir="${1:?usage: scripts/npm-install.sh DIR}"
[ -f "$dir/package-lock.json" ] || { echo "npm-install: $dir/package-lock.json not found" >&2; exit 1; }
stamp="$dir/node_modules/.package-lock.json"
if [ -f "$stamp" ] && [ "$stamp" -nt "$dir/package-lock.json" ]; then
  exit 0
fi
command -v npm >/dev/null || { echo "npm-install: npm not found (scripts/install-deps.sh installs it)" >&2; exit 1; }
# npm 11 refuses `ci` when the lock omits other platforms' optional bindings (as written under
# omit-lockfile-registry-resolved); `install` still keeps the lock's pinned versions.
if ! (cd "$dir" && { npm ci --no-audit --no-fund >&2 || npm install --no-audit --no-fund >&2; }); then
  if [ -d "$dir/node_modules" ]; then
    echo "npm-install: npm failed in $dir; keeping the packages already in $dir/node_modules" >&2
  else
    echo "npm-install: npm could not install $dir" >&2
    exit 1
  fi
fi
