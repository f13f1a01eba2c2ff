#!/usr/bin/env bash
# make bench / make bench-smoke: release build, then the bench table. SCALE=city for ten districts.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product bulletin
swift build -c release --product bulletin-bench
args=(--data "${BENCH_DATA:-bench-data}" --scale "${SCALE:-district}")
if [ -n "${SMOKE:-}" ]; then args+=(--smoke --data "${BENCH_DATA:-bench-data}/smoke"); fi
.build/release/bulletin-bench "${args[@]}"
