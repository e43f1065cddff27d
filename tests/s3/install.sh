#!/usr/bin/env bash
# tests/s3/install.sh: install the test S3 server (npm s3rver@3.7.1, pinned with its
# dependencies by package-lock.json) into tests/s3/node_modules. Idempotent: does nothing when
# it is already there. Called by scripts/setup.sh and, when missing, by test_ckpt_store.
# Exit status 0 when s3rver is installed, 1 otherwise (node or npm missing, npm failed).
set -uo pipefail
cd "$(dirname "$0")"
if [ -f node_modules/s3rver/package.json ]; then exit 0; fi
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "tests/s3/install.sh: node and npm are needed for the S3 tests" >&2
  exit 1
fi
# npm ci installs exactly the locked versions; fall back to install if the lock is unusable
if ! npm ci --no-audit --no-fund --loglevel=error >&2; then
  npm install --no-audit --no-fund --no-save --loglevel=error >&2 || exit 1
fi
[ -f node_modules/s3rver/package.json ]
