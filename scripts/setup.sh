#!/usr/bin/env bash
# scripts/setup.sh: install the Debian packages arroyo-c needs to build and test.
#
# Idempotent and cheap when nothing is missing: one dpkg-query call decides whether apt runs
# at all. Runs apt as root directly, or through sudo when available; otherwise it prints the
# command to run and fails. Used by `make demo`, `make check` and CI (.ci/run).
set -euo pipefail

PACKAGES=(
  build-essential tcc libtcc-dev libsqlite3-dev librdkafka-dev libavro-dev libprotobuf-c-dev
  protobuf-c-compiler libjansson-dev libcurl4-openssl-dev libzstd-dev libmicrohttpd-dev
  pkg-config clang python3 nodejs npm
)

# Tools that may come from elsewhere than Debian's package of the same name (NodeSource's
# nodejs carries npm and conflicts with Debian's npm package): present on PATH counts as
# installed.
command_for() {
  case "$1" in
    nodejs) echo node ;;
    npm|clang|python3|pkg-config|tcc) echo "$1" ;;
    *) echo "" ;;
  esac
}

# Print the packages of "$@" that are not installed.
missing_of() {
  local pkg status cmd
  for pkg in "$@"; do
    cmd=$(command_for "$pkg")
    if [ -n "$cmd" ] && command -v "$cmd" >/dev/null 2>&1; then continue; fi
    status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
    [ "$status" = installed ] || echo "$pkg"
  done
}

as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    echo "setup.sh: not root and no sudo; run as root: $*" >&2
    return 1
  fi
}

if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "setup.sh: dpkg-query not found: this script supports Debian/Ubuntu only;" >&2
  echo "  install the equivalents of: ${PACKAGES[*]}" >&2
  exit 1
fi

apt_updated=0
install_missing() {
  local missing
  missing=$(missing_of "$@" | tr '\n' ' ')
  [ -n "${missing// /}" ] || return 0
  echo "setup.sh: installing: $missing"
  if [ "$apt_updated" -eq 0 ]; then
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
    apt_updated=1
  fi
  # shellcheck disable=SC2086  # word splitting of the package list is intended
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q $missing
}

install_missing "${PACKAGES[@]}"

# libFuzzer's runtime (used by the fuzz part of the tests) lives in libclang-rt-N-dev, which
# clang only recommends: install it explicitly for the installed clang's major version.
if command -v clang >/dev/null 2>&1; then
  clang_major=$(clang --version | sed -n 's/.*clang version \([0-9][0-9]*\).*/\1/p' | head -n 1)
  if [ -n "$clang_major" ] && [ -n "$(missing_of "libclang-rt-$clang_major-dev")" ]; then
    # Not every release has this split package; a failure here only disables fuzzing.
    install_missing "libclang-rt-$clang_major-dev" ||
      echo "setup.sh: note: libclang-rt-$clang_major-dev not installed; fuzzing will be skipped" >&2
  fi
fi

# The S3-compatible server the checkpoint store tests run against (npm s3rver, pinned by
# tests/s3/package-lock.json, into tests/s3/node_modules). Not fatal here: without it
# test_ckpt_store fails in CI (CI=true) and skips its S3 part locally, saying why.
"$(dirname "$0")/../tests/s3/install.sh" ||
  echo "setup.sh: note: the test S3 server (tests/s3) could not be installed" >&2
