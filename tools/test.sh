#!/usr/bin/env bash
# Set up from scratch and run the whole test suite: dependencies, configure, build, ctest.
#   BUILD_DIR   build directory (default: build)
#   CMAKE_ARGS  extra configure arguments, e.g. -DVD_SANITIZE=ON
#   JOBS        parallel jobs (default: 2)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
BUILD_DIR=${BUILD_DIR:-build}
JOBS=${JOBS:-2}

./tools/install_deps.sh
# The dashboard tests' npm packages (Splunk's dashboard framework and validator, esbuild,
# playwright-core), from the committed lockfile, once.
[ -d tests/dashboards/node_modules/@splunk/dashboard-core ] || npm ci --prefix tests/dashboards --no-audit --no-fund
# shellcheck disable=SC2086
cmake -S . -B "$BUILD_DIR" -DVD_BUILD_TESTS=ON ${CMAKE_ARGS:-}
cmake --build "$BUILD_DIR" -j"$JOBS"
ctest --test-dir "$BUILD_DIR" --output-on-failure -j"$JOBS"
