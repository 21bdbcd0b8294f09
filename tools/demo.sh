#!/usr/bin/env bash
# Set up from scratch and run the main job on the bundled sample data: builds vishingcorrelate
# and vd_scp_drive (a splunkd emulator), then runs the search the way splunkd does: getinfo,
# the streaming_preop "vishingcorrelate phase=map ..." on each simulated indexer, the reporting
# invocation on the concatenated map output. Prints the findings as a table (CSV=1: the raw
# result CSV splunkd would receive); inspector messages go to stderr.
#   BUILD_DIR  build directory (default: build)     INDEXERS  simulated indexers (default: 2)
#   ARGS       vishingcorrelate arguments (default: none)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
BUILD_DIR=${BUILD_DIR:-build}
INPUT=${1:-tests/data/demo/demo_events.csv}

./tools/install_deps.sh
cmake -S . -B "$BUILD_DIR" >/dev/null
cmake --build "$BUILD_DIR" -j"${JOBS:-2}" --target vishingcorrelate vd_scp_drive >/dev/null
COMMAND="$BUILD_DIR/src/command/vishingcorrelate"
run() {
  "$BUILD_DIR/src/splunkd_emulator/vd_scp_drive" --emulate-preop --indexers "${INDEXERS:-2}" --chunk-rows 50000 \
    --args "${ARGS:-}" "$INPUT" -- "$COMMAND"
}
if [ "${CSV:-0}" = 1 ]; then
  run
else
  run | "$COMMAND" --table
fi
