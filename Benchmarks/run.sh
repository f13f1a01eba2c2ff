#!/usr/bin/env bash
# make bench / make bench-smoke: release build, the peers' virtual environment (DuckDB, pandas,
# python-calamine), then the tables.
# SCALE=city for ten districts; BENCH_DATA to keep generated data elsewhere; ONLY=readers,duckdb,
# nights,in-process for some of the tables.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/python ]; then python3 -m venv .venv; fi
.venv/bin/python -c "import duckdb, pandas, python_calamine" 2>/dev/null || .venv/bin/pip install -q duckdb pandas python-calamine
# The binary as `make install` builds it, the standard library and Foundation linked in: what the
# bureau runs (dynamically linked, the loader is most of every process's start, workers' too).
swift build -c release --product bulletin --static-swift-stdlib
# A file added to the root package can leave this package's cached build plan stale ("cannot find …
# in scope"): plan again once before giving up.
swift build -c release --package-path Benchmarks || {
  rm -f Benchmarks/.build/release.yaml Benchmarks/.build/release/description.json Benchmarks/.build/build.db
  swift build -c release --package-path Benchmarks
}
args=(--scale "${SCALE:-district}")
if [ -n "${ONLY:-}" ]; then args+=(--only "$ONLY"); fi
if [ -n "${SMOKE:-}" ]; then args+=(--smoke --data "${BENCH_DATA:-bench-data}/smoke"); else args+=(--data "${BENCH_DATA:-bench-data}"); fi
Benchmarks/.build/release/bulletin-bench "${args[@]}"
