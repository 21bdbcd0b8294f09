#!/usr/bin/env bash
# Installs every build and test dependency from Debian 12 (bookworm) by package name.
# Used by the README's set-up commands and by .ci/run. Skips apt when everything is present,
# so it also works unprivileged on a machine that already has the packages.
#   --always  run apt-get update + install even when everything is present (CI on a fresh box)
set -euo pipefail
ALWAYS=0
[ "${1:-}" = "--always" ] && ALWAYS=1

PACKAGES=(
  cmake make g++ pkg-config
  clang libclang-rt-14-dev            # fuzz targets (libFuzzer) and clang builds
  clang-format                        # CI's formatting check
  clang-tidy                          # CI's static checks (.clang-tidy)
  libboost1.81-dev libboost-url1.81-dev
  rapidjson-dev libre2-dev libssl-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  zlib1g-dev                          # tests only: recorded protocol sessions are gzipped
  python3 file openssl ca-certificates
  chromium fonts-dejavu-core          # dashboard tests: headless Chromium renders the views
)
# Dashboard test tooling (tests/dashboards, installed with `npm ci`): the machine's Node.js and
# npm when it has them (Node.js 18 or newer), else Debian's.
command -v node >/dev/null && command -v npm >/dev/null || PACKAGES+=(nodejs npm)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ] && [ "$ALWAYS" -eq 0 ]; then
  echo "install_deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install_deps: need root (or sudo) to install: ${missing[*]:-${PACKAGES[*]}}" >&2; exit 1; }
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
$SUDO apt-get install -y --no-install-recommends "${PACKAGES[@]}"
